"""The Embeddings explorer: data (files, sample, export), compute (jobs, projection, clusters,
neighbours), figures.
"""
