"""``reader show --images`` and ``reader sync --images`` as real processes on the sample site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from reader.core.kept_images import CACHE_FOLDER
from reader.core.models import LinkKind
from reader.core.post_images import post_images
from reader.core.store import STORE_FILE, Store
from tests.support.app_fixtures import SECTIONS

ROOT = Path(__file__).resolve().parents[2]
SLUG = "kidney-organoids-grow-their-own-blood-vessels"


def _reader(site: str, data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM")}
    environment.update(TERM="xterm-256color", **env)
    return subprocess.run(
        [sys.executable, "-m", "reader", "--site", site, "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=environment,
    )


def _data(template: Path, tmp_path: Path) -> tuple[Path, int, int]:
    """A copy of the synced store; the post with a figure, and how many images it has."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(template, data / STORE_FILE)
    store = Store.open_in(data, section_names=SECTIONS)
    try:
        summary = next(s for s in store.posts_in(None) if SLUG in s.url)
        post = store.post(summary.id)
        assert post is not None and post.link(LinkKind.FEATURED) is not None
        return data, summary.id, len(post_images(post))
    finally:
        store.close()


def test_show_images_draws_half_blocks_even_into_a_pipe(
    sample_site: str, template: Path, tmp_path: Path
) -> None:
    data, post_id, count = _data(template, tmp_path)
    assert count == 2  # the featured image and one figure
    drawn = _reader(sample_site, data, "show", str(post_id), "--images", "--width", "60")
    assert drawn.returncode == 0, drawn.stderr
    assert "▀" in drawn.stdout
    assert "[image:" not in drawn.stdout
    assert "\x1b[38;5;" in drawn.stdout  # the terminal's 256 colours
    assert len(list((data / CACHE_FOLDER).iterdir())) == count
    plain = _reader(sample_site, data, "show", str(post_id), "--width", "60")
    assert "▀" not in plain.stdout and "\x1b" not in plain.stdout
    assert "[image: A flat kidney organoid under the microscope]" in plain.stdout


def test_without_colour_the_pictures_are_their_alt_text(
    sample_site: str, template: Path, tmp_path: Path
) -> None:
    data, post_id, _ = _data(template, tmp_path)
    shown = _reader(sample_site, data, "show", str(post_id), "--images", NO_COLOR="1")
    assert shown.returncode == 0, shown.stderr
    assert "▀" not in shown.stdout
    assert "[image: A flat kidney organoid under the microscope]" in shown.stdout


def test_sync_images_fetches_every_image_of_the_archive(
    sample_site: str, template: Path, tmp_path: Path
) -> None:
    data, _, _ = _data(template, tmp_path)
    store = Store.open_in(data, section_names=SECTIONS)
    try:
        wanted = {
            image.url
            for summary in store.posts_in(None)
            for image in post_images(store.post(summary.id))  # type: ignore[arg-type]
        }
    finally:
        store.close()
    done = _reader(sample_site, data, "sync", "--images")
    assert done.returncode == 0, done.stderr
    assert f"{len(wanted)} images kept, 0 could not be fetched" in done.stdout
    assert len(list((data / CACHE_FOLDER).iterdir())) == len(wanted)
