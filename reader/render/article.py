"""A whole article as Rich renderables: header, the site's navigation, body and topics.

:func:`render_post` is the article view; :func:`render_text` is ``reader show POST``.
The links of the body and the topics under it ("Read more about") are numbered; the
navigation lines are reached by their keys.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime

from rich.console import Console, Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from reader.core.models import Link, LinkKind, Post
from reader.core.post_images import absolute_image_url
from reader.core.text import clean, strip_controls
from reader.render.body import BodyWriter
from reader.render.figures import ArticleImage, ImageBlock, ImageBoard
from reader.render.layout import Indented
from reader.render.links import LinkTarget, decoded_url, resolve_link
from reader.render.rendered_article import RenderedArticle
from reader.render.styles import ArticleStyles
from reader.render.title_cut import NAVIGATION_TITLE_MOST, cut_to_cells
from reader.render.wrapping import WrappedText

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TAG = re.compile(r"<[^>]*>?")
_SPACES = re.compile(r"[ \t\n\f]+")
_TRAILING_SPACES = re.compile(r"[ \t]+$", re.MULTILINE)
_NARROWEST = 20

# Where the site's post navigation leads, in the order the header lists it.
_NAVIGATION = (
    (LinkKind.NEWER, "n", "Newer"),
    (LinkKind.OLDER, "p", "Older"),
    (LinkKind.READ_NEXT, "r", "Read this next"),
)

EXCERPT_NOTE = "Only the excerpt is available; the full article has not been fetched yet."
FEED_EXCERPT_NOTE = "Only the excerpt is in the feed; o opens the whole article in the browser."
#: The same, for ``reader show`` (no key to press there): where the whole article is.
FEED_EXCERPT_NOTE_SHOWN = "Only the excerpt is in the feed; the whole article is at {url}"
UNFETCHED_NOTE = "Only the excerpt is available: the page could not be fetched ({why})."


def unfetched_note(why: str) -> str:
    """The note above an excerpt whose page could not be read, with why, on one line."""
    return UNFETCHED_NOTE.format(why=" ".join(why.split()) or "no reason given")


EMPTY_NOTE = "This post has no text yet."
FALLBACK_NOTE = "This article's markup could not be laid out; showing its text only."


def render_body(
    html: str,
    base_url: str,
    styles: ArticleStyles | None = None,
    board: ImageBoard | None = None,
    images: list[ArticleImage] | None = None,
) -> RenderedArticle:
    """Lay out an article body; relative links are resolved against ``base_url``.

    With a ``board``, images are blocks of their own (appended to ``images``); without one they
    are their alt text. Never raises: markup this renderer cannot lay out is its bare text.
    """
    styles = styles or ArticleStyles()
    images = images if images is not None else []
    try:
        writer = BodyWriter(base_url, styles, board, images)
        blocks, links = writer.write(html or "")
    except Exception:
        # One post with markup nobody foresaw must not take the article view down with it.
        return RenderedArticle(_bare_text(html, styles), [])
    return RenderedArticle(blocks, links, images)


def render_post(
    post: Post,
    styles: ArticleStyles | None = None,
    board: ImageBoard | None = None,
    *,
    excerpt_note: str = EXCERPT_NOTE,
    by_date: Sequence[Link] = (),
) -> RenderedArticle:
    """The whole article: header, navigation lines, featured image, body and topics.

    ``board`` turns images on: the featured image and each figure get a block of their own.
    ``excerpt_note`` goes above a body that is only the excerpt (why the rest is missing).
    ``by_date`` are the newer and older posts by date (links of those kinds, the title as
    their text): each is shown, said to be by date, where the post has no link of its kind
    (a page without post navigation, where n and p go by date).
    """
    styles = styles or ArticleStyles()
    blocks: list[RenderableType] = [_plain(post.title, styles.title)]
    byline = _byline(post)
    if byline:
        blocks.append(_plain(byline, styles.byline))
    filed_under = " · ".join(_line(name) for name in (*post.sections, *post.tags) if name.strip())
    if filed_under:
        blocks.append(_plain(filed_under, styles.meta))

    navigation = (_navigation_line(post, *where, styles, by_date) for where in _NAVIGATION)
    present = [line for line in navigation if line is not None]
    if present:
        blocks.append(Text())
        blocks.extend(present)

    images: list[ArticleImage] = []
    featured = _featured_image(post)
    if board is not None and featured is not None:
        images.append(featured)
        blocks.extend((Text(), ImageBlock(featured, board, styles.image)))
    elif featured is not None and featured.alt:
        # Pictures off: the featured image is its alt text, as every figure is.
        blocks.extend((Text(), Text(f"[image: {featured.alt}]", styles.image)))

    if post.content.strip():
        body = render_body(post.content, post.url, styles, board, images)
        body_blocks = list(body.renderables)
    else:
        body = render_body(post.excerpt, post.url, styles, board, images)
        if body.renderables:
            body_blocks = [_plain(excerpt_note, styles.muted), Text(), *body.renderables]
        else:
            body_blocks = [_plain(EMPTY_NOTE, styles.muted)]
    blocks.append(Text())
    blocks.extend(body_blocks)

    links = list(body.links)
    topics = _topics_line(post, styles, links)
    if topics is not None:
        blocks.extend((Text(), topics))
    return RenderedArticle(blocks, links, images)


def _featured_image(post: Post) -> ArticleImage | None:
    link = post.link(LinkKind.FEATURED)
    url = absolute_image_url(link.url, post.url) if link is not None else None
    if link is None or url is None:
        return None
    return ArticleImage(1, url, _line(link.text))


def prepare_layout(article: RenderedArticle) -> RenderedArticle:
    """Do the set-up of ``article``'s long paragraphs now (in a thread, say); returns it."""
    for block in article.renderables:
        inner = block.body if isinstance(block, Indented) else block
        if isinstance(inner, WrappedText):
            inner.prepare()
    return article


def render_text(
    post: Post,
    width: int = 80,
    color: bool = False,
    board: ImageBoard | None = None,
    *,
    excerpt_note: str = EXCERPT_NOTE,
) -> str:
    """The whole article as text for ``reader show``, with its numbered links listed last.

    Without ``color`` the result holds no escape codes at all. With it, the colour depth
    follows the environment (``COLORTERM``, ``TERM``, ``NO_COLOR``) and links are OSC 8.
    A ``board`` with pictures drawn puts them in place (``reader show --images``).
    ``excerpt_note`` goes above a body that is only the excerpt, saying why.
    """
    styles = ArticleStyles() if color else ArticleStyles.plain()
    article = render_post(post, styles, board, excerpt_note=excerpt_note)
    output = io.StringIO()
    console = Console(
        file=output,
        width=max(width, _NARROWEST),
        color_system="auto" if color else None,
        force_terminal=color,
        force_interactive=False,
        force_jupyter=False,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
    )
    # Not cropped: every block is laid out to the width already, and cropping splits the
    # whole output into lines once more (a 5 MB article: a second of it).
    console.print(Group(*article.renderables), crop=False)
    if article.links:
        console.print()
        console.print(Text("Links", styles.h3))
        entries = []
        for link in article.links:
            entry = Text(f"[{link.number}] ", styles.link_number)
            entry.append(link.url, Style(link=link.url) if link.followable else None)
            entries.append(entry)
        # A URL is copied whole, so it is neither wrapped nor cut at the edge; all in one
        # print, since each print costs a millisecond (an article may have 50,000 links).
        console.print(Text("\n").join(entries), no_wrap=True, overflow="ignore", crop=False)
    text = output.getvalue()
    return text if color else _TRAILING_SPACES.sub("", text)


def _byline(post: Post) -> str:
    parts: list[str] = []
    if post.author.strip():
        parts.append(f"By {_line(post.author)}")
    if post.published is not None:
        parts.append(_date(post.published))
    if post.reading_minutes:
        parts.append(f"{post.reading_minutes} min read")
    return " · ".join(parts)


def _date(moment: datetime) -> str:
    """ "Sep 3, 2025", spelled the same whatever the machine's locale."""
    return f"{_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


def _navigation_line(
    post: Post,
    kind: LinkKind,
    key: str,
    label: str,
    styles: ArticleStyles,
    by_date: Sequence[Link] = (),
) -> Indented | None:
    link = post.link(kind)
    if link is None:
        link = next((near for near in by_date if near.kind is kind), None)
        label = f"{label} by date"
    if link is None or not link.url:
        return None
    name = _line(link.text) or _line(link.url)
    # The title is the other post's, named here only to say where a key goes: a feed's
    # 5,000-character title wrapped over some 90 rows and pushed this article's body off
    # the screen. Its own header shows it whole.
    name = cut_to_cells(name, NAVIGATION_TITLE_MOST)
    title = Text(name, styles.link + _hyperlink(link, post.url))
    # A long title wraps under itself, not under the key: "p  Older: " hangs to its left.
    prefix = [
        Segment(key, styles.nav_key),
        Segment("  "),
        Segment(f"{label}: ", styles.muted),
    ]
    return Indented(title, prefix, [Segment(" " * Segment.get_line_length(prefix))])


def _topics_line(post: Post, styles: ArticleStyles, links: list[LinkTarget]) -> Text | None:
    """ "Read more about: Brain[4], Kidney[5]": numbered after the body's ``links``, which
    this extends, so they are reached by number and by tab like every other link."""
    seen: set[tuple[str, str]] = set()
    topics: list[Link] = []
    for link in post.links:
        if link.kind is LinkKind.TOPIC and (link.url, link.text) not in seen:
            seen.add((link.url, link.text))
            topics.append(link)
    if not topics:
        return None
    line = Text()
    line.append("Read more about: ", styles.muted)
    first = True
    for topic in topics:
        name = _line(topic.text) or _line(topic.url)
        resolved = resolve_link(decoded_url(topic.url), post.url)
        if not first:
            line.append(", ")
        first = False
        if resolved is None:
            line.append(name, styles.muted)
            continue
        url, followable = resolved
        target = LinkTarget(len(links) + 1, url, name, followable)
        links.append(target)
        line.append(name, styles.link + target.style)
        line.append(f"[{target.number}]", styles.link_number + target.style)
    return line


def _hyperlink(link: Link, base_url: str) -> Style:
    """An OSC 8 link for a navigation line; these are reached by key, so they have no number."""
    resolved = resolve_link(decoded_url(link.url), base_url)
    if resolved is None or not resolved[1]:
        return Style()
    return Style(link=resolved[0])


def _line(text: str) -> str:
    # The store's text is already decoded; only controls and runs of whitespace go.
    return _SPACES.sub(" ", strip_controls(text)).strip()


def _plain(text: str, style: Style) -> Text:
    return Text(_line(text), style)


def _bare_text(html: str, styles: ArticleStyles) -> list[RenderableType]:
    try:
        text = _SPACES.sub(" ", clean(_TAG.sub(" ", html or ""))).strip()
    except Exception:
        text = ""
    blocks: list[RenderableType] = [Text(FALLBACK_NOTE, styles.muted)]
    if text:
        blocks.extend((Text(), Text(text)))
    return blocks
