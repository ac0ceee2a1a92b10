"""serve tests."""
