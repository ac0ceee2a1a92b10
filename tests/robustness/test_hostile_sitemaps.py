"""A site without its REST API whose sitemaps are hostile: huge, malformed, entity bombs.

The reader reads a WordPress site's term sitemaps to tell the feeds' tags from categories
(reader/core/sitemaps.py). Each answer below names a tag the sync would otherwise show as a
topic, and would mark it a tag if it were read carelessly (entities expanded, a DTD followed,
no bound on size, count or depth, a broken document read as far as it goes); each must leave
the sections as a site with no sitemaps leaves them, and the sync must succeed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from reader.core.models import SectionKind
from reader.sample.server import SampleServer
from reader.sample.taxonomy import TAGS
from tests.support.reading import new_store, sync_site

_TAGS = "/wp-sitemap-taxonomies-post_tag-1.xml"
_CATEGORIES = "/wp-sitemap-taxonomies-category-1.xml"
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _urlset(base: str, *slugs: str, extra: str = "") -> str:
    urls = "".join(f"<url><loc>{base}/tag/{slug}/</loc></url>" for slug in slugs)
    return f"{_HEAD}<urlset {_NS}>{urls}{extra}</urlset>\n"


def _hostile(kind: str, base: str, tag: str) -> tuple[int, str, bytes]:
    """(status, content type, body) of the tag sitemap of ``kind``, which names ``tag``."""
    xml = "application/xml; charset=UTF-8"
    if kind == "missing":
        return 404, "text/html; charset=UTF-8", b"<h1>Not found</h1>"
    if kind == "good":
        return 200, xml, _urlset(base, tag).encode()
    if kind == "malformed":
        return 200, xml, _urlset(base, tag)[:-12].encode() + b"<url><loc"
    if kind == "entity-bomb":
        lol = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "lol"}">' for n in range(10))
        doctype = f'<!DOCTYPE urlset [{lol}<!ENTITY a "{base}/tag/{tag}/">]>'
        urls = "<url><loc>&a;</loc></url><url><loc>&l9;</loc></url>"
        body = f"{_HEAD}{doctype}<urlset {_NS}>{urls}</urlset>"
        return 200, xml, body.encode()
    if kind == "entity":
        doctype = f'<!DOCTYPE urlset [<!ENTITY a "{base}/tag/{tag}/">]>'
        body = f"{_HEAD}{doctype}<urlset {_NS}><url><loc>&a;</loc></url></urlset>"
        return 200, xml, body.encode()
    if kind == "external-entity":
        doctype = '<!DOCTYPE urlset [<!ENTITY a SYSTEM "file:///etc/hostname">]>'
        body = f"{_HEAD}{doctype}<urlset {_NS}><url><loc>{base}/tag/{tag}/</loc></url>&a;</urlset>"
        return 200, xml, body.encode()
    if kind == "too-many":
        many = [f"t{n}" for n in range(3000)]
        return 200, xml, _urlset(base, tag, *many).encode()
    if kind == "huge":
        # Past the fetcher's 20 MiB: a comment pads a sitemap that is otherwise fine.
        padding = "<!--" + "x" * (21 * 2**20) + "-->"
        return 200, xml, _urlset(base, tag, extra=padding).encode()
    if kind == "deep":
        nested = "<x>" * 5000 + "</x>" * 5000
        return 200, xml, _urlset(base, tag, extra=nested).encode()
    if kind == "not-a-sitemap":
        link = f"{base}/tag/{tag}/"
        body = f"<html><body><a href='{link}'>{tag}</a><loc>{link}</loc></body></html>"
        return 200, xml, body.encode()
    raise AssertionError(kind)


class _Server(SampleServer):
    """The sample site without its REST API, its tag sitemap replaced by ``kind``'s."""

    def __init__(self, kind: str, tag: str) -> None:
        super().__init__(rest_api=False)
        self.kind = kind
        self.tag = tag

    def respond(self, target: str) -> tuple[int, dict[str, str], bytes, datetime]:
        status, headers, body, modified = super().respond(target)
        if target.startswith(_TAGS):
            status, content_type, body = _hostile(self.kind, self.base, self.tag)
            headers = {"Content-Type": content_type}
        elif target.startswith(_CATEGORIES):
            status, headers, body = 404, {"Content-Type": "text/html; charset=UTF-8"}, b""
        return status, headers, body, modified


def _kinds(kind: str, tag: str, tmp_path: Path) -> tuple[dict[str, SectionKind], list[str]]:
    with _Server(kind, tag) as url:
        store = new_store(tmp_path / kind)
        report = sync_site(store, url)
        assert report.ok, (kind, report.errors)
        found = {s.slug: s.kind for s in store.sections(include_tags=True)}
        store.close()
    return found, report.notes


Baseline = tuple[dict[str, SectionKind], str]


@pytest.fixture(scope="module")
def without_sitemaps(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    """The sections with no sitemap, and a tag they show as a topic."""
    found, notes = _kinds("missing", "", tmp_path_factory.mktemp("missing"))
    assert "serves no sitemap of its terms" in " ".join(notes)
    topics = [t.slug for t in TAGS if found.get(t.slug) is SectionKind.TOPIC]
    assert topics, "no page read links these tags"
    return found, topics[0]


def test_a_good_sitemap_marks_the_tag(without_sitemaps: Baseline, tmp_path: Path) -> None:
    before, tag = without_sitemaps
    found, _ = _kinds("good", tag, tmp_path)
    assert found == {**before, tag: SectionKind.TAG}


@pytest.mark.parametrize(
    "kind",
    [
        "malformed",
        "entity",
        "entity-bomb",
        "external-entity",
        "too-many",
        "huge",
        "deep",
        "not-a-sitemap",
    ],
)
def test_a_hostile_sitemap_changes_nothing(
    kind: str, without_sitemaps: Baseline, tmp_path: Path
) -> None:
    before, tag = without_sitemaps
    found, notes = _kinds(kind, tag, tmp_path)
    assert found == before
    assert "serves no sitemap of its terms" in " ".join(notes)
