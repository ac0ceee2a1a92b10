"""``python -m reader.sample``: serve the sample site in the foreground until Ctrl+C."""

from __future__ import annotations

import argparse
import threading

from reader.arguments import whole_number
from reader.sample.server import SampleServer

_HIGHEST_PORT = 65535


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, serve, and print the URL."""
    parser = argparse.ArgumentParser(
        prog="python -m reader.sample",
        description="Serve the invented sample news site on this machine only.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    # Digits 0-9 only, as every number of the reader's command line: int() took '١٢' as 12.
    parser.add_argument(
        "--port", type=whole_number(0), default=0, help="port (default: any free one)"
    )
    parser.add_argument("--no-rest", action="store_true", help="answer 404 for /wp-json/")
    parser.add_argument(
        "--generate",
        type=whole_number(0),
        metavar="N",
        help="serve N generated posts instead of the hand-written ones (for benchmarks)",
    )
    parser.add_argument("--seed", type=whole_number(0), default=0, help="seed for --generate")
    args = parser.parse_args(argv)
    if args.port > _HIGHEST_PORT:
        parser.error(f"--port {args.port} is too big; the most is {_HIGHEST_PORT}")
    site = None
    if args.generate:
        from reader.sample.generate import generate_site

        site = generate_site(args.generate, seed=args.seed)
    server = SampleServer(site, rest_api=not args.no_rest, host=args.host, port=args.port)
    url = server.start()
    print(url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
