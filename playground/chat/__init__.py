"""The Chat page: conversation, parameters panel, reply view, compare, export."""
