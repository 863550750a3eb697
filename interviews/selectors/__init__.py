"""Reads that need care (lookups by what a person said, annotations, prefetches), one
module per domain. Writes live in interviews.services."""
