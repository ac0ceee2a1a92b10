"""The store writer does the writes handed to it in its own thread and connection, in order,
and gives each its result or its error (reader.core.store_writer)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from reader.core.store import Store
from reader.core.store_writer import StoreWriter, writes_to

WRITER = "store-writer"
"""The writer thread's name."""


async def test_writes_are_done_in_order_elsewhere_and_their_errors_reach_the_caller(
    store: Store,
) -> None:
    writer = StoreWriter(store.path)
    first, second = (post.id for post in list(store.posts_in())[:2])
    done_in: list[tuple[str, int]] = []

    def mark(post_id: int, read: bool) -> Callable[[Store], bool]:
        def write(other: Store) -> bool:
            assert other is not store  # a connection of the writer's own
            done_in.append((threading.current_thread().name, post_id))
            other.set_read(post_id, read)
            return read

        return write

    try:
        marks = [writer(mark(first, True)), writer(mark(second, True)), writer(mark(first, False))]
        assert [await each for each in marks] == [True, True, False]
        assert done_in == [
            ("store-writer", first),
            ("store-writer", second),
            ("store-writer", first),
        ]
        # Written for every connection to see, the caller's included.
        stored = [store.post(first), store.post(second)]
        assert [post.read for post in stored if post is not None] == [False, True]

        def broken(other: Store) -> None:
            raise ValueError("a write that cannot be done")

        with pytest.raises(ValueError, match="cannot be done"):
            await writer(broken)
        # The writer goes on after a failed write.
        assert await writer(lambda other: other.post(first) is not None)
        assert not writer.busy
    finally:
        writer.close()


async def test_writes_to_a_store_are_done_at_once_on_it(store: Store) -> None:
    post_id = next(iter(store.posts_in())).id
    write = writes_to(store)
    assert await write(lambda same: same is store)
    await write(lambda same: same.set_read(post_id, True))
    post = store.post(post_id)
    assert post is not None and post.read
