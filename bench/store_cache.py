"""Stores too slow to fill on every run (100,000 posts), kept between runs.

Filling the 100,000-post store with ``reader sync`` takes many minutes, most of them the
sample server's (it filters and sorts every post for each page of the REST API it answers).
So it is filled once and kept under the user's cache folder, named by everything that decides
what it holds: every generated post, the sample server's code that answers with them, and the
store's schema version. The site must be served on the port it was read from (a store knows
its posts by their addresses), so that port is kept beside it; when the port is taken, or
``--fresh`` is given, the store is filled again. Each run works on a copy.

What this cannot see: a change to what ``reader sync`` writes that keeps the schema version.
After such a change, run once with ``--fresh``. Only the newest store of each size is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import reader.sample
from reader.sample.site import Site


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/reader-bench`` (``~/.cache/reader-bench``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reader-bench"


_SERVING = ("server.py", "routes.py", "rest.py", "feed.py", "pages.py", "markup.py")
"""The sample package's modules that turn a site into answers: what a sync reads depends on
them as much as on the posts."""


def fingerprint(site: Site) -> str:
    """What decides a filled store's content, hashed: every post of the site (as generated),
    the code that serves them, and the store's schema version."""
    from reader.core.store import SCHEMA_VERSION

    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for post in site.posts():
        digest.update(repr(post).encode())
    sample = Path(reader.sample.__file__).resolve().parent
    for name in _SERVING:
        path = sample / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class CachedStore:
    """A filled data folder in the cache, and the port its site was served on."""

    folder: Path
    port: int
    built: str
    """When it was filled (local time, to the minute)."""


def entry_for(site: Site) -> Path:
    """Where the store filled from ``site`` lives."""
    return cache_root() / f"store-{len(site.posts())}-{fingerprint(site)}"


def load(site: Site) -> CachedStore | None:
    """The kept store filled from ``site``, if there is one."""
    entry = entry_for(site)
    try:
        meta = json.loads((entry / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    return CachedStore(entry / "data", int(meta["port"]), str(meta["built"]))


def save(site: Site, data_dir: Path, port: int) -> CachedStore:
    """Keep a copy of a store just filled from ``site``; others of as many posts go."""
    entry = entry_for(site)
    posts = len(site.posts())
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    for old in root.glob(f"store-{posts}-*"):
        shutil.rmtree(old, ignore_errors=True)
    partial = root / f".partial-{entry.name}-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(data_dir, partial / "data")
    built = time.strftime("%Y-%m-%d %H:%M")
    # meta.json last, then one rename: a run killed midway leaves no entry that looks whole.
    (partial / "meta.json").write_text(json.dumps({"port": port, "built": built}) + "\n")
    partial.rename(entry)
    return CachedStore(entry / "data", port, built)


def forget(posts: int) -> None:
    """Drop the kept store of ``posts`` posts (``--fresh``)."""
    for old in cache_root().glob(f"store-{posts}-*"):
        shutil.rmtree(old, ignore_errors=True)
