"""Import stub for prefect 1.x (test-only; see ../README.md)."""
