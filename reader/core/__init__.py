"""The reader's core: models, store, fetching, parsing, sync. Imports neither textual nor rich."""
