"""C's allocator kept small: few heaps for the threads, a decode's freed pages given back."""

from __future__ import annotations

import platform

import pytest

from reader.core import allocator, image_decode
from reader.core.image_decode import ImageRefused, decode_picture
from tests.support.pictures import corrupt_png, png

glibc_only = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")


@glibc_only
def test_glibc_takes_the_arena_limit_and_trims() -> None:
    assert allocator.limit_arenas() is True
    # True or False by what was free: either way it answered, it did not fail.
    assert allocator.give_back_freed() in (True, False)


def test_other_systems_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator, "_libc", None)
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.limit_arenas() is False
    assert allocator.give_back_freed() is False


def test_every_decode_gives_its_freed_pages_back(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(image_decode, "give_back_freed", lambda: calls.append(True) or True)
    picture = decode_picture(png(400, 300), 40, 30)
    assert (picture.width, picture.height) == (40, 30)
    assert len(calls) == 1
    with pytest.raises(ImageRefused):
        decode_picture(corrupt_png(), 40, 30)
    assert len(calls) == 2


def test_reading_is_prepared_with_the_arena_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.ui import app

    asked: list[int] = []
    monkeypatch.setattr(allocator, "limit_arenas", lambda: asked.append(1) or True)
    app._prepare_reading()
    assert asked == [1]
