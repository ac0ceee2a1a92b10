"""Benchmarks for the reader: start-up, memory, article display, sync, UI stalls, redraw bytes.

Run them all with ``python -m bench.run`` (see ``bench/README.md``). Nothing in ``tests/``
imports this package.
"""
