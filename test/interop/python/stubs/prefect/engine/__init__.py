"""Import stub for prefect.engine (test-only)."""
