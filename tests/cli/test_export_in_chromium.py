"""The HTML bookmark export opened in a real headless Chromium: every picture drawn in its place.

The file is written after the site is gone and the image cache emptied, so the pictures it shows
are the ones kept with the bookmark; the page asks the network for nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from reader.core.kept_images import CACHE_FOLDER
from reader.sample.server import SampleServer
from tests.cli.test_bookmark_images import _post_id
from tests.cli.test_images_cli import _reader
from tests.support.real_clients import require_program
from tests.support.web_server import DevTools, headless_chromium

pytestmark = pytest.mark.timeout(180)

# Where each picture of the sample post stands, by the text just before and just after it.
_PLACES = """
(() => {
  const article = document.querySelector('article');
  const top = element => element.getBoundingClientRect().top + window.scrollY;
  const holding = text => [...article.querySelectorAll('p, h3, figcaption')]
    .find(element => element.textContent.startsWith(text));
  return Promise.all([...article.querySelectorAll('img')].map(image => image.decode()))
    .then(() => ({
      pictures: [...article.querySelectorAll('img')].map(image => ({
        alt: image.alt, drawn: image.complete && image.naturalWidth > 0,
        top: top(image), bottom: top(image) + image.getBoundingClientRect().height,
      })),
      source: top(article.querySelector('.source')),
      first: top(holding('For years')),
      second: top(holding('A team led by')),
      caption: top(holding('A kidney organoid after 21 days')),
      heading: top(holding('Why vessels matter')),
    }));
})()
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_program("chromium", "chromium-browser", package="chromium")


async def _places(chromium: str, page_file: Path, profile: Path) -> tuple[Any, DevTools]:
    with headless_chromium(chromium, profile) as browser:
        async with DevTools.open_page(browser) as page:
            for domain in ("Page", "Runtime", "Log", "Network"):
                await page.send(f"{domain}.enable")
            await page.send("Page.navigate", url=page_file.as_uri())
            await page.wait_for_event(lambda method, _p: method == "Page.loadEventFired")
            return await page.evaluate(_PLACES), page


async def test_the_export_draws_each_picture_where_it_stands(tmp_path: Path, chromium: str) -> None:
    server = SampleServer()
    url = server.start()
    data = tmp_path / "data"
    try:
        assert _reader(url, data, "sync").returncode == 0
        added = _reader(url, data, "bookmarks", "add", str(_post_id(data)))
        assert added.returncode == 0, added.stderr
    finally:
        server.stop()
    shutil.rmtree(data / CACHE_FOLDER, ignore_errors=True)
    page_file = tmp_path / "bookmarks.html"
    exported = _reader(url, data, "bookmarks", "export", "--format", "html", "-o", str(page_file))
    assert exported.returncode == 0, exported.stderr

    places, page = await _places(chromium, page_file, tmp_path / "profile")

    featured, figure = places["pictures"]
    assert featured["alt"] == "A kidney organoid stained green and magenta"
    assert figure["alt"] == "A flat kidney organoid under the microscope"
    assert featured["drawn"] and figure["drawn"]
    # The featured picture under the header, before the body; the figure between the two
    # paragraphs it stands between in the article, its caption under it, then the heading.
    assert places["source"] < featured["top"] and featured["bottom"] <= places["first"]
    assert places["second"] < figure["top"] and figure["bottom"] <= places["caption"]
    assert places["caption"] < places["heading"]
    assert page.problems() == []
    asked = page.requested_urls()
    assert all(u.startswith(("file:", "data:")) for u in asked), asked
