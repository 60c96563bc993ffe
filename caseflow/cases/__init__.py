"""Cases: the core domain (models, the one operation that changes state, reads, views)."""
