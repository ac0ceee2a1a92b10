"""Stores too slow to fill on every run (100,000 posts), kept between runs.

Filling the 100,000-post store with ``reader sync`` takes many minutes, most of them the
sample server's (it filters and sorts every post for each page of the REST API it answers).
So it is filled once and kept under the user's cache folder, named by everything that decides
what it holds: the number of posts, the sample site's code and data (the generator), and the
store's schema version. The site must be served on the port it was read from (a store knows
its posts by their addresses), so that port is kept beside it; when the port is taken, or
``--fresh`` is given, the store is filled again. Each run works on a copy.

What this cannot see: a change to what ``reader sync`` writes that keeps the schema version.
After such a change, run once with ``--fresh``.
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


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/reader-bench`` (``~/.cache/reader-bench``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reader-bench"


def fingerprint(posts: int) -> str:
    """What decides a filled store's content, hashed."""
    from reader.core.store import SCHEMA_VERSION

    digest = hashlib.sha256(f"{posts} posts, schema {SCHEMA_VERSION}\n".encode())
    sample = Path(reader.sample.__file__).resolve().parent
    for path in sorted(sample.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(sample)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class CachedStore:
    """A filled data folder in the cache, and the port its site was served on."""

    folder: Path
    port: int
    built: str
    """When it was filled (local time, to the minute)."""


def entry_for(posts: int) -> Path:
    """Where the store of ``posts`` posts with today's fingerprint lives."""
    return cache_root() / f"store-{posts}-{fingerprint(posts)}"


def load(posts: int) -> CachedStore | None:
    """The kept store, if there is one for today's fingerprint."""
    entry = entry_for(posts)
    try:
        meta = json.loads((entry / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    return CachedStore(entry / "data", int(meta["port"]), str(meta["built"]))


def save(posts: int, data_dir: Path, port: int) -> CachedStore:
    """Keep a copy of a freshly filled store; older fingerprints for ``posts`` go."""
    entry = entry_for(posts)
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
