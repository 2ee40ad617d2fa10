"""Review-level operations: creating reviews, the demo review, screening and counts."""
