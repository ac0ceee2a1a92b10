"""robustness tests."""
