"""Serve the test WordPress by hand, to try the reader on it: ``python -m tests.support.wordpress``.

Prints the address of each site (classic and block theme, plus any ``--variant`` asked for)
and serves until interrupted; everything started is stopped on the way out.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

from tests.support.wordpress.harness import BLOCK, CLASSIC, WordPress, unavailable


def main() -> int:
    """Start, print the sites' addresses, serve until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.wordpress")
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="THEME:REST:NAV",
        help="another site, e.g. twentytwentyone:locked:theme or twentytwentythree:missing:blocks",
    )
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with WordPress() as wordpress:
        sites = [("classic", wordpress.site(CLASSIC)), ("block", wordpress.site(BLOCK))]
        for variant in args.variant:
            theme, rest, navigation = [*variant.split(":"), "open", "theme"][:3]
            sites.append((variant, wordpress.site(theme, rest=rest, navigation=navigation)))
        for label, site in sites:
            print(f"{label}: {site.url}", flush=True)
        print("seeded in " + ", ".join(f"{k} {v:.1f} s" for k, v in wordpress.timings.items()))
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
