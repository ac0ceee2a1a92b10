"""``python -m reader.sample``: serve the sample site in the foreground until Ctrl+C."""

from __future__ import annotations

import argparse
import threading

from reader.sample.server import SampleServer


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, serve, and print the URL."""
    parser = argparse.ArgumentParser(
        prog="python -m reader.sample",
        description="Serve the invented sample news site on this machine only.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    parser.add_argument("--no-rest", action="store_true", help="answer 404 for /wp-json/")
    parser.add_argument(
        "--generate",
        type=int,
        metavar="N",
        help="serve N generated posts instead of the hand-written ones (for benchmarks)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for --generate")
    args = parser.parse_args(argv)
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
