"""Damage a store the way a failing disk does: one page of a table overwritten with noise.

The page is found by walking the table's B-tree by hand (SQLite's file format: page headers,
cell pointers, left-child page numbers), so no optional SQLite feature is needed.
"""

from __future__ import annotations

import random
import sqlite3
import struct
from pathlib import Path

_INTERIOR_TABLE = 0x05
_LEAF_TABLE = 0x0D


def _page_size(data: bytes) -> int:
    size = struct.unpack(">H", data[16:18])[0]
    return 65536 if size == 1 else int(size)


def _leaves(data: bytes, page: int, page_size: int) -> list[int]:
    """Leaf pages under ``page`` of a table B-tree, left to right."""
    start = (page - 1) * page_size
    header = start + (100 if page == 1 else 0)
    kind = data[header]
    if kind == _LEAF_TABLE:
        return [page]
    assert kind == _INTERIOR_TABLE, f"page {page} is not a table page ({kind:#x})"
    cells = struct.unpack(">H", data[header + 3 : header + 5])[0]
    rightmost = struct.unpack(">I", data[header + 8 : header + 12])[0]
    children = []
    for index in range(cells):
        pointer = struct.unpack(">H", data[header + 12 + 2 * index : header + 14 + 2 * index])[0]
        children.append(struct.unpack(">I", data[start + pointer : start + pointer + 4])[0])
    children.append(rightmost)
    found: list[int] = []
    for child in children:
        found.extend(_leaves(data, child, page_size))
    return found


def scribble_table_page(path: Path, table: str = "posts", *, seed: int = 7) -> int:
    """Overwrite one leaf page in the middle of ``table`` with noise; returns its number.

    The store must be closed cleanly first (no WAL), so the file holds every page.
    """
    db = sqlite3.connect(path)
    try:
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()
    finally:
        db.close()
    data = bytearray(path.read_bytes())
    page_size = _page_size(data)
    leaves = _leaves(bytes(data), int(root[0]), page_size)
    assert len(leaves) >= 3, f"{table} is too small to lose a page in the middle"
    page = leaves[len(leaves) // 2]
    start = (page - 1) * page_size
    data[start : start + page_size] = random.Random(seed).randbytes(page_size)
    path.write_bytes(bytes(data))
    return page
