"""The image cache: bytes by URL on disk, capped, the least recently used dropped first."""

from __future__ import annotations

import os
import time
from pathlib import Path

from reader.core.image_cache import ImageCache


def _age(cache: ImageCache, url: str, seconds_ago: float) -> None:
    when = time.time() - seconds_ago
    os.utime(cache.path_for(url), (when, when))


def test_bytes_come_back_by_url_and_the_file_name_is_a_hash(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "images")
    url = "https://example.org/../../etc/passwd?x=1"
    assert cache.get(url) is None
    cache.put(url, b"picture")
    assert cache.get(url) == b"picture"
    assert url in cache
    [kept] = (tmp_path / "images").iterdir()
    assert kept.parent == tmp_path / "images"
    assert "passwd" not in kept.name


def test_past_the_cap_the_least_recently_used_go_first(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path, cap_bytes=1000)
    for index in range(4):
        cache.put(f"u{index}", bytes(300))
        _age(cache, f"u{index}", 100 - index * 10)  # u0 oldest ... u3 newest
    # u3 went in last and pushed the total to 1200: the oldest went until under 900.
    assert cache.total() <= 900
    assert cache.get("u0") is None
    assert cache.get("u3") is not None
    # Reading u1 makes it the most recently used; the next write drops u2, not u1.
    _age(cache, "u2", 50)
    assert cache.get("u1") is not None
    cache.put("u4", bytes(300))
    assert cache.get("u1") is not None
    assert cache.get("u2") is None


def test_the_total_is_counted_from_the_folder_in_a_new_instance(tmp_path: Path) -> None:
    ImageCache(tmp_path).put("a", bytes(100))
    again = ImageCache(tmp_path, cap_bytes=150)
    again.put("b", bytes(100))
    assert again.total() <= 135
    assert ("a" in again) != ("b" in again)


def test_a_file_larger_than_the_cap_is_not_kept(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path, cap_bytes=10)
    cache.put("big", bytes(11))
    assert cache.get("big") is None


def test_leftovers_of_a_killed_write_are_cleared_and_never_counted(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path)
    part = tmp_path / "x.part"
    part.write_bytes(bytes(500))
    old = time.time() - 7200
    os.utime(part, (old, old))
    assert cache.total() == 0
    assert not part.exists()


def test_an_unwritable_folder_only_means_nothing_is_kept(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ImageCache(blocker / "images")
    cache.put("u", b"data")
    assert cache.get("u") is None
