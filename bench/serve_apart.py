"""A generated site served by a process of its own: ``serve_apart.py --posts N``.

Prints the base URL, then answers each ``log`` line on stdin with one JSON line: every request
target answered so far, in order. Stops when stdin closes, so it never outlives the benchmark
that started it.

Why a process: the sample server renders every answer in Python. In the benchmark's own
process it shares one interpreter lock with the terminal emulator (pyte) that reads the TUI's
screen, so while the TUI draws, its own server answers slower; a headless run beside it has
no emulator. Here neither side's server waits for the bench's emulator.
"""

from __future__ import annotations

import argparse
import json
import sys

from reader.sample.generate import generate_site
from reader.sample.server import SampleServer


def main() -> int:
    """Serve until stdin closes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    # The same site as bench.sites.make_site(posts): that is generate_site with nothing added.
    server = SampleServer(generate_site(args.posts, seed=args.seed))
    print(server.start(), flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == "log":
                targets = [target for _, target, _ in server.request_log]
                print(json.dumps(targets), flush=True)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
