"""Offline server that speaks the xAI API with local models."""
