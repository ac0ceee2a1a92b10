"""Records: frozen dataclasses whose methods are written at their first instance."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading

import pytest

from reader.core import records
from reader.core.records import record


def _made(cls: type) -> bool:
    return "__dataclass_fields__" in cls.__dict__


def test_a_record_is_made_at_its_first_instance_and_is_a_frozen_dataclass() -> None:
    @record
    class Point:
        x: int
        y: int = 0
        tags: tuple[str, ...] = dataclasses.field(default=())

    assert not _made(Point)
    point = Point(1, y=2)
    assert _made(Point)
    assert (point.x, point.y, point.tags) == (1, 2, ())
    assert point == Point(1, 2) and hash(point) == hash(Point(1, 2))
    assert point != Point(2, 2)
    assert repr(point).endswith("Point(x=1, y=2, tags=())")
    assert dataclasses.replace(point, x=5) == Point(5, 2)
    assert [field.name for field in dataclasses.fields(point)] == ["x", "y", "tags"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 3  # type: ignore[misc]
    match point:
        case Point(x, y):
            assert (x, y) == (1, 2)
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]


def test_complete_all_makes_every_record_not_made_yet() -> None:
    @record
    class Waiting:
        name: str

    assert not _made(Waiting)
    records.complete_all()
    assert _made(Waiting)
    assert Waiting("a") == Waiting("a")


def test_drawing_the_first_screen_leaves_unused_records_unmade() -> None:
    # What the reader imports to start holds some 30 records; a whole post, what sync hands
    # the store and most of the navigator's answers are not needed for the first screen.
    code = (
        "import reader.cli, reader.ui.app\n"
        "from reader.core.models import Post, IncomingPost\n"
        "from reader.core.navigation import OpenPost\n"
        "print(any('__dataclass_fields__' in c.__dict__ for c in (Post, IncomingPost, OpenPost)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_fields_of_a_class_not_made_yet() -> None:
    @record
    class Unmade:
        a: int
        b: str = ""

    assert [field.name for field in records.fields_of(Unmade)] == ["a", "b"]


def test_a_snapshot_reads_back_in_a_process_that_made_no_post_yet() -> None:
    # 'reader show' of a bookmark offline reads its snapshot before any Post exists.
    code = (
        "from reader.core.snapshots import post_from_json\n"
        "print(post_from_json({'id': 1, 'url': 'https://a.example/p/', 'title': 'T'}).title)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "T"


def test_a_record_made_in_one_thread_is_never_half_made_in_another() -> None:
    # complete_all runs on the loop while a thread reads posts from the store: a Post made
    # in the thread while its class was being made met object.__init__ ("Post() takes no
    # arguments", seen once opening a link in a full run). A short switch interval lets the
    # threads meet inside make() on every try, where the default 5 ms seldom does.
    classes = []
    for n in range(40):

        @record
        class Made:
            a: int
            b: str = ""

        Made.__name__ = f"Made{n}"
        classes.append(Made)
    failures: list[BaseException] = []
    stop = threading.Event()

    def build() -> None:
        while not stop.is_set():
            for cls in classes:
                try:
                    cls(1, b="x")
                except BaseException as error:  # the failure is the answer
                    failures.append(error)
                    return

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    builders = [threading.Thread(target=build) for _ in range(2)]
    try:
        for thread in builders:
            thread.start()
        for cls in classes:
            records.make(cls)
    finally:
        stop.set()
        for thread in builders:
            thread.join()
        sys.setswitchinterval(interval)
    assert failures == []
    assert all(cls(2).a == 2 and _made(cls) for cls in classes)
