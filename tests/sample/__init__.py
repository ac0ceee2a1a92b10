"""sample tests."""
