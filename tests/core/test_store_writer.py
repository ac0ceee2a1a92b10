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


@pytest.mark.parametrize("checked", [True, False])
async def test_the_writer_takes_the_screens_check_of_the_file_over(
    store: Store, monkeypatch: pytest.MonkeyPatch, checked: bool
) -> None:
    # The check reads the whole file (seconds on a large store): the screen has run it at
    # start-up, so the writer's own connection must not run it again before its first write.
    import reader.core.store as store_module

    checks: list[object] = []
    real = store_module.quick_check
    monkeypatch.setattr(store_module, "quick_check", lambda path: checks.append(path) or real(path))
    if checked:
        store.record_check(None)
    writer = StoreWriter(store.path, checked_by=store if checked else None)
    post_id = next(iter(store.posts_in())).id
    try:
        await writer(lambda other: other.set_read(post_id, True))
    finally:
        writer.close()
    assert checks == ([] if checked else [store.path])


def test_read_marks_take_the_screens_check_of_the_file_over(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.store as store_module
    from reader.core.read_marks import ReadMarks

    checks: list[object] = []
    monkeypatch.setattr(store_module, "quick_check", lambda path: checks.append(path))
    store.record_check(None)
    marks = ReadMarks(store.path, written=lambda *_: None, checked_by=store)
    post_id = next(iter(store.posts_in())).id
    marks.mark(post_id, True)
    assert marks.wait(30)
    marks.close()
    assert checks == []
    assert store.post(post_id) is not None


async def test_a_writer_waits_for_the_screens_check_still_running_rather_than_run_its_own(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The screen's check is still reading the file when the first write comes: a second check
    # beside it would read every page again (seconds more on a large store).
    import reader.core.store as store_module

    checks: list[object] = []
    monkeypatch.setattr(store_module, "quick_check", lambda path: checks.append(path))
    store.begin_check()
    writer = StoreWriter(store.path, checked_by=store)
    post_id = next(iter(store.posts_in())).id
    try:
        written = writer(lambda other: other.set_read(post_id, True))
        threading.Timer(0.05, store.record_check, (None,)).start()
        await written
    finally:
        writer.close()
    assert checks == []
    post = store.post(post_id)
    assert post is not None and post.read


async def test_a_check_given_up_leaves_the_writer_to_check_alone(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.store as store_module

    checks: list[object] = []
    monkeypatch.setattr(store_module, "quick_check", lambda path: checks.append(path))
    store.begin_check()
    writer = StoreWriter(store.path, checked_by=store)
    post_id = next(iter(store.posts_in())).id
    try:
        written = writer(lambda other: other.set_read(post_id, True))
        threading.Timer(0.05, store.abandon_check).start()
        await written
    finally:
        writer.close()
    assert checks == [store.path]
