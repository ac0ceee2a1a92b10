"""Sync: each source's feed and archive into the store, and single pages on demand.

:func:`sync_all` syncs many sources at once (the fetcher bounds requests per host); one
source's failure is its own report's and never stops the others. One source's sync reads its
feed conditionally (a 304 means nothing changed: nothing is parsed or
written), stores its posts, and the first time backfills the whole archive: through the REST
API when the site has one, else through paged feeds. Excerpt-only posts get their body from
their page. A failure at any step leaves what is already stored untouched and becomes one line
in the report.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reader.core import sitemaps, wordpress
from reader.core.addresses import PublicAddresses
from reader.core.fetch import Fetcher, FetchError, Validators
from reader.core.models import IncomingPost, Link, LinkKind, Origin, Post, SyncReport
from reader.core.records import record
from reader.core.sitemaps import read_site_terms
from reader.core.source import Source
from reader.core.store import Store, StoreError
from reader.core.store_writer import StoreWrites, writes_to
from reader.core.words import counted

if TYPE_CHECKING:
    from reader.core.feed import FeedEntry, ParsedFeed
    from reader.core.page import ArticlePage

_log = logging.getLogger("reader.sync")

Progress = Callable[[int, int | None, str], None]
"""Called with (done, total or None, what is happening)."""

_BACKFILL_DONE = "backfill_done"
_FEED_AT = "feed_at"
"""Where a site's feed is when not at ``<site>/feed/``: ``<site>/?feed=rss2`` on a WordPress
with plain permalinks, whose ``/feed/`` is its home page."""
FEED_AT = _FEED_AT
"""The source meta key of that address, for what writes a source's feed out (OPML)."""
_MAX_FEED_PAGES = 500
_WINDOW = 4
"""Requests sent at once to one site (the fetcher's per-host bound)."""
_PAGES_PER_SYNC = 60
"""Bodies fetched from pages in one sync; the rest are fetched when opened."""
_PARSED_HERE = 256 * 1024
"""Feeds and article pages up to this size are parsed on the sync's own loop (a few ms at
most), bigger ones in a worker thread. The sync's loop is never the screen's (the app syncs
in a thread of its own), and a worker thread per document cost a cold sync from RSS only
(100 feed pages, 60 article pages) ~4% of its wall time in hand-overs and GIL switches."""


class SyncError(Exception):
    """A sync or page fetch failed; the message is one line for the status bar."""


def slugify(name: str) -> str:
    """A WordPress-like slug for a category name, used when a feed gives only names."""
    slug = re.sub(r"[^\w]+", "-", name.lower(), flags=re.UNICODE).strip("-")
    return slug or "untitled"


def _incoming(entry: FeedEntry) -> IncomingPost:
    return IncomingPost(
        url=entry.url,
        title=entry.title,
        author=entry.author,
        published=entry.published,
        modified=entry.updated,
        guid=entry.guid,
        wp_id=entry.wp_id,
        excerpt=entry.summary_html,
        content=entry.content_html,
        categories=tuple((slugify(name), name) for name in entry.categories),
        featured_image=Link(LinkKind.FEATURED, entry.picture, entry.picture_alt)
        if entry.picture
        else None,
        origin=Origin.FEED,
    )


async def _read_feed(
    fetcher: Fetcher, store: Store, source_id: int, url: str, *, conditional: bool = True
) -> tuple[ParsedFeed | None, Validators]:
    """The parsed feed at ``url`` (None when unchanged since last time) and its validators.

    The caller saves the validators only once the feed's posts are stored: saved earlier, a
    sync killed in between would make the next one see "unchanged" and miss those posts.
    """
    etag, modified = store.validators(url, source=source_id) if conditional else (None, None)
    response = await fetcher.get(
        url,
        validators=Validators(etag, modified),
        accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    )
    if response.not_modified:
        return None, response.validators
    # Imported when there is a feed to read: a sync of an unchanged site (one 304) never
    # parses anything, and the parsers' imports were ~30 ms of its start.
    from reader.core.feed import parse_feed, parse_feed_async

    content, at, headers = response.content, response.url, response.headers
    if len(content) <= _PARSED_HERE:
        parsed = parse_feed(content, url=at, headers=headers)
    else:
        parsed = await parse_feed_async(content, url=at, headers=headers)
    if not parsed.is_feed:
        raise SyncError(f"{url}: {parsed.problem}")
    return parsed, response.validators


async def _read_source_feed(
    fetcher: Fetcher, store: Store, source_id: int, source: Source
) -> tuple[ParsedFeed | None, Validators, str]:
    """:func:`_read_feed` of the source's feed, and the address it was read at.

    A site whose ``/feed/`` is not a feed is asked for ``?feed=rss2``, the address WordPress
    answers whatever its permalinks; where that is a feed, it is kept as the site's feed.
    """
    kept = store.source_meta(source_id, _FEED_AT)
    url = kept or source.feed_url
    try:
        parsed, validators = await _read_feed(fetcher, store, source_id, url)
    except SyncError as error:
        if kept or not source.is_site:
            raise
        not_a_feed = error
    else:
        return parsed, validators, url
    plain = source.url + "?feed=rss2"
    try:
        parsed, validators = await _read_feed(fetcher, store, source_id, plain)
    except (SyncError, FetchError):
        raise not_a_feed from None
    store.set_source_meta(source_id, _FEED_AT, plain)
    return parsed, validators, plain


def _read_file(path: str) -> bytes:
    try:
        return Path(path).expanduser().read_bytes()
    except OSError as error:
        raise SyncError(f"Cannot read the feed file {path}: {error.strerror}") from None


def _store_posts(
    store: Store, source_id: int, posts: Iterable[IncomingPost], report: SyncReport
) -> None:
    """Store ``posts`` of the source, counting what was new and what changed in ``report``."""
    new, updated = store.upsert_posts(posts, source=source_id)
    report.new += new
    report.updated += updated


async def sync(
    store: Store,
    fetcher: Fetcher,
    source: Source,
    *,
    progress: Progress | None = None,
    backfill: bool = True,
) -> SyncReport:
    """Bring the store up to date with ``source``. Never raises for network or feed trouble."""
    report = SyncReport(source.feed_url, source=source.label)
    tell = progress or (lambda done, total, what: None)
    waiting = _asked_to_wait(store, source)
    if waiting:
        # The server said when to come back: every refresh, manual or not, waits until then.
        report.errors.append(waiting)
        _log.info("sync of %s: %s", source.feed_url, waiting)
        _keep_outcome(store, source, report)
        return report
    source_id: int | None = None
    new_source = waits = False
    try:
        new_source = store.source_id(source) is None
        source_id = store.add_source(source)
        await _sync(store, fetcher, source, source_id, report, tell, backfill)
    except FetchError as error:
        report.errors.append(str(error))
        report.offline = bool(getattr(error, "offline", False))
        if (
            error.retry_after is not None
            and error.retry_after >= _LONG_WAIT
            and source_id is not None
        ):
            waits = True
            _remember_wait(store, source_id, error)
    except (SyncError, StoreError) as error:
        report.errors.append(str(error))
    for problem in report.errors:
        _log.warning("sync of %s: %s", source.feed_url, problem)
    _keep_outcome(store, source, report)
    if report.ok and source_id is not None:
        store.mark_synced(source=source_id)
    elif new_source and not waits and source_id is not None:
        # A first read that failed stores nothing, not an empty source ("reader sources list"
        # kept one per wrong address tried); one that stored any post keeps it. A server's
        # long Retry-After is kept with its source, to be honoured next time.
        with contextlib.suppress(StoreError):
            store.forget_if_empty(source_id)
    return report


def _keep_outcome(store: Store, source: Source, report: SyncReport) -> None:
    """Keep what the refresh hit, for the next start to show; a refresh that worked clears it."""
    # A store that cannot be written already said why in the report.
    with contextlib.suppress(StoreError):
        if report.errors:
            # While the server's wait runs, a later start says that wait and when it ends
            # (not how long was left then), not a failure older than it.
            said = _asked_to_wait(store, source, from_now=False) or report.errors[0]
            store.note_refresh_failed(source, said, offline=report.offline)
        else:
            store.note_refresh_worked(source)


_LONG_WAIT = 60.0
"""A Retry-After of at least this long is remembered for the next refresh (shorter ones are
waited out by the fetcher's own retries)."""
_LONGEST_WAIT = 24 * 3600.0
"""The longest wait honoured: a server cannot keep the reader away for ever."""
_WAIT_KEY = "retry_not_before"


def _asked_to_wait(store: Store, source: Source, *, from_now: bool = True) -> str:
    """Why this sync must not ask yet ("" when it may): the server's Retry-After is not over.

    With ``from_now``, how long is left is said too (true only now, so not in what is kept).
    """
    # Per source: one server asking to wait keeps the others syncing.
    try:
        saved = store.source_meta(source, _WAIT_KEY)
    except StoreError:
        return ""
    until, _, said = saved.partition(" ")
    try:
        ends = float(until)
    except ValueError:
        return ""
    left = ends - time.time()
    if left <= 0:
        return ""
    when = datetime.fromtimestamp(ends).astimezone()
    today = datetime.now().astimezone().date()
    # What is kept is read on another day too: it names the day.
    at = f"{when:%H:%M}" if from_now and when.date() == today else f"{when:%a %H:%M}"
    left_said = f" ({_minutes(left)} from now)" if from_now else ""
    return (
        f"Not asking {source.feed_url} again before {at}{left_said}:"
        f" {said or 'the server asked the reader to wait'}."
    )


def _remember_wait(store: Store, source_id: int, error: FetchError) -> None:
    wait = min(float(error.retry_after or 0), _LONGEST_WAIT)
    said = f"it answered {error.status} and asked to wait"
    with contextlib.suppress(StoreError):
        store.set_source_meta(source_id, _WAIT_KEY, f"{time.time() + wait:.0f} {said}")


def _minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 90:
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    hours = round(minutes / 60)
    return f"{hours} hour{'' if hours == 1 else 's'}"


async def sync_all(
    store: Store,
    fetcher: Fetcher,
    sources: Sequence[Source],
    *,
    progress: Progress | None = None,
    backfill: bool = True,
) -> list[SyncReport]:
    """Sync every source at once; one report per source, in the order given.

    The fetcher bounds the requests sent to each host, so sources on one host queue while the
    others go ahead; a source that fails (dead, 404, not a feed, even a bug) fails alone.
    """
    tell = progress or (lambda done, total, what: None)
    several = len(sources) > 1

    def told(source: Source) -> Progress:
        if not several:
            return tell
        return lambda done, total, what: tell(done, total, f"{source.label}: {what}")

    if not several:
        # One source: an unforeseen error is the caller's, as it always was (the app's
        # worker says so and logs the traceback).
        return [
            await sync(store, fetcher, source, progress=tell, backfill=backfill)
            for source in sources
        ]
    results = await asyncio.gather(
        *(
            sync(store, fetcher, source, progress=told(source), backfill=backfill)
            for source in sources
        ),
        return_exceptions=True,
    )
    reports: list[SyncReport] = []
    for source, result in zip(sources, results, strict=True):
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result
            # A bug met by one source must not cost the others their sync: it is logged with
            # its traceback and said as that source's failure.
            _log.error("sync of %s failed", source.feed_url, exc_info=result)
            result = SyncReport(
                source.feed_url,
                source=source.label,
                errors=[f"Refresh of {source.label} failed: {type(result).__name__}: {result}"],
            )
            _keep_outcome(store, source, result)
        reports.append(result)
    return reports


async def _sync(
    store: Store,
    fetcher: Fetcher,
    source: Source,
    source_id: int,
    report: SyncReport,
    tell: Progress,
    backfill: bool,
) -> None:
    tell(0, None, f"Reading {source.feed_url}")
    needs_backfill = (
        backfill and source.is_site and store.source_meta(source_id, _BACKFILL_DONE) != "yes"
    )
    # Whether the REST API gives posts is asked while the feed is read: one round trip less
    # before the archive's first page (reading the feed touches nothing this depends on).
    asked_api = (
        asyncio.ensure_future(wordpress.api_problem(fetcher, source.url))
        if needs_backfill
        else None
    )
    try:
        await _sync_source(store, fetcher, source, source_id, report, tell, backfill, asked_api)
    finally:
        if asked_api is not None:
            _let_go([asked_api])


def _let_go(asked: Iterable[asyncio.Future[Any]]) -> None:
    """Cancel what is still on its way; a failure no one will ask about now is taken."""
    for future in asked:
        if not future.done():
            future.cancel()
        elif not future.cancelled():
            future.exception()


async def _sync_source(
    store: Store,
    fetcher: Fetcher,
    source: Source,
    source_id: int,
    report: SyncReport,
    tell: Progress,
    backfill: bool,
    asked_api: asyncio.Future[str | None] | None,
) -> None:
    """:func:`_sync`'s work once it has asked whether the REST API gives posts
    (``asked_api``, when the archive is to be read)."""
    validators: Validators | None = None
    feed_url = source.feed_url
    if source.is_file:
        from reader.core.feed import parse_feed_async

        content = await asyncio.to_thread(_read_file, source.url)
        parsed: ParsedFeed | None = await parse_feed_async(content, url=source.url)
        if parsed is not None and not parsed.is_feed:
            raise SyncError(f"{source.url}: {parsed.problem}")
    else:
        parsed, validators, feed_url = await _read_source_feed(fetcher, store, source_id, source)
    needs_backfill = asked_api is not None
    with_api = source.is_site and store.source_meta(source_id, "has_rest_api") == "yes"
    if with_api and not needs_backfill and not store.term_ids_read(source_id):
        # Feed unchanged or not: a store synced before term ids were kept learns them once.
        await _learn_term_ids(store, fetcher, source, source_id, tell)
    if parsed is None and not needs_backfill:
        report.unchanged = True
        if not store.count_posts(source=source_id):
            report.notes.append(f"{source.feed_url} has no posts.")
        # Done, said with the words already shown: the report says "up to date" itself, and
        # a log or pipe printing both said it twice.
        tell(1, 1, f"Reading {source.feed_url}")
        return
    if parsed is not None and parsed.title and not store.source_title(source_id):
        store.set_source_title(source_id, parsed.title)
    if parsed is not None and source.is_site and parsed.link:
        # A site's feed names its home page: the site's own address, whatever was typed.
        store.add_site_addresses(source_id, [parsed.link])
    excerpt_only: list[str] = []
    # The REST API holds every post, the feed's newest ones included, with their bodies and
    # with tags told apart: when it is there, the first sync takes everything from it.
    api_problem = await asked_api if asked_api is not None else None
    if needs_backfill and api_problem is None:
        await _backfill_rest(store, fetcher, source, source_id, report, tell)
    else:
        if parsed is not None and not needs_backfill and with_api:
            await _rest_changes(store, fetcher, source, source_id, report, tell)
        if parsed is not None:
            incoming = [_incoming(e) for e in parsed.entries]
            _store_posts(store, source_id, incoming, report)
            excerpt_only.extend(p.url for p in incoming if p.content is None)
        if needs_backfill:
            store.set_source_meta(source_id, "has_rest_api", "no")
            # Read while the feed pages are: the sitemaps say which of the feeds' names are
            # tags (two requests, once: the first sync is the only one without the API here).
            listed = (
                asyncio.ensure_future(
                    read_site_terms(fetcher, source.url, plain="?feed=" in feed_url)
                )
                if api_problem is not None and source.is_site
                else None
            )
            try:
                await _backfill_feeds(
                    store,
                    fetcher,
                    source,
                    source_id,
                    report,
                    tell,
                    excerpt_only,
                    parsed.entries if parsed is not None else (),
                )
            except BaseException:
                if listed is not None:
                    listed.cancel()
                raise
            if api_problem is not None:
                terms = await listed if listed is not None else None
                report.notes.append(_no_api_note(api_problem, store, source_id, terms))
    paged = parsed is not None and not source.is_site and not source.is_file and backfill
    if paged and store.source_meta(source_id, _BACKFILL_DONE) != "yes":
        # A feed gives its newest page; its older pages, once, on the first sync.
        assert parsed is not None
        await _older_feed_pages(store, fetcher, source, source_id, parsed, report, tell)
        store.set_source_meta(source_id, _BACKFILL_DONE, "yes")
    if needs_backfill:
        store.set_source_meta(source_id, _BACKFILL_DONE, "yes")
    if parsed is not None and not parsed.entries and not store.count_posts(source=source_id):
        report.notes.append(f"{source.feed_url} has no posts.")
    if validators is not None and parsed is not None:
        store.save_validators(feed_url, validators.etag, validators.last_modified, source=source_id)
    if source.is_site:
        await _fill_bodies(store, fetcher, source_id, excerpt_only, report, tell)


def _no_api_note(
    problem: str, store: Store, source_id: int, terms: sitemaps.SiteTerms | None
) -> str:
    """Marks the feeds' terms its sitemaps list (``terms``) and says what the user sees."""
    said = (
        f"The site's REST API gives no posts ({problem}): the archive is read from its"
        " paged feeds. A feed names categories and tags alike"
    )
    edits = "edits to older posts are seen only when their pages are read."
    if terms is not None and terms.read:
        by_key = dict(sitemaps.kinds_by_key(terms))
        slugs = {sitemaps.match_key(slug): slug for slug in terms.tags | terms.categories}

        def listed(name: str, slug: str) -> tuple[str, bool] | None:
            for key in (sitemaps.match_key(name), sitemaps.match_key(slug)):
                if key in by_key:
                    return slugs[key], by_key[key]
            return None

        store.mark_listed_terms(source_id, listed)
        return (
            f"{said}; its sitemaps list {counted(len(terms.tags), 'tag')} and"
            f" {counted(len(terms.categories), 'category', 'categories')}, and the feeds'"
            " names are filed by them (a name they do not list shows as a topic until a page"
            f" of one of its posts links it as a tag). And {edits}"
        )
    return (
        f"{said}, and the site serves no sitemap of its terms, so each shows as a topic until"
        " a page of one of its posts, read when you open it, links it as a tag; and"
        f" {edits}"
    )


async def _learn_site(store: Store, fetcher: Fetcher, source: Source, source_id: int) -> None:
    """What the REST index says of the site: its clock (dates as the site shows them)."""
    _keep_site_index(store, source_id, await wordpress.site_index(fetcher, source.url))


def _keep_site_index(store: Store, source_id: int, index: wordpress.SiteIndex | None) -> None:
    """Store what the index says (nothing when the site has none)."""
    if index is not None:
        store.add_site_addresses(source_id, [index.home, index.url])
        store.set_site_clock(source_id, index.timezone_string, index.gmt_offset)
        store.set_source_meta(source_id, "site_index", "yes")


async def _rest_changes(
    store: Store,
    fetcher: Fetcher,
    source: Source,
    source_id: int,
    report: SyncReport,
    tell: Progress,
) -> None:
    """Every post edited or added since the newest edit the store holds, through the REST API.

    The feed shows only the newest posts; an edit to an older one changes its Last-Modified
    (so the feed is read) but not its items. A second's overlap: the same edit again is no
    update, since "updated" means the text changed.
    """
    if store.source_meta(source_id, "site_index") != "yes":
        await _learn_site(store, fetcher, source, source_id)
    since = store.last_modified(source=source_id)
    if since is None:
        return
    tell(0, None, "Reading what changed")
    known = store.term_slugs(source_id) if store.term_ids_read(source_id) else None
    unknown_term = False
    try:
        overlap = since - timedelta(seconds=1)
        async for batch in wordpress.changed_since(fetcher, source.url, overlap):
            _store_posts(store, source_id, batch, report)
            unknown_term = unknown_term or (
                known is not None
                and any(slug not in known for p in batch for slug, _ in (*p.categories, *p.tags))
            )
    except FetchError as error:
        if error.status not in (401, 403, 404, 410):
            raise
        # Locked or gone since the first sync: the feed still reads; older edits go unseen.
        report.notes.append(
            f"The REST API no longer answers ({error.reason}): new posts come from the feed,"
            " edits to older posts cannot be seen."
        )
    if unknown_term:
        # A post names a term made since the ids were read: its ?cat=ID links need its id.
        await _learn_term_ids(store, fetcher, source, source_id, tell)


async def _learn_term_ids(
    store: Store, fetcher: Fetcher, source: Source, source_id: int, tell: Progress
) -> None:
    """The ids of the site's categories and tags (two requests, asked together), for a store
    whose first sync did not keep them: a plain-permalink site links ``?cat=ID``, and only
    the ids turn such a link into its topic's list."""
    tell(0, None, "Reading categories and tags")
    asked = [
        asyncio.ensure_future(wordpress.terms(fetcher, source.url, taxonomy))
        for taxonomy in ("categories", "tags")
    ]
    try:
        categories, tags = await asked[0], await asked[1]
    except FetchError as error:
        if error.status in (401, 403, 404, 410):
            # Refused: marked as read, so that every sync does not ask again; the ids kept
            # before (if any) stay, and their links still open their lists.
            store.mark_term_ids_read(source_id)
        else:
            # Offline, a 500, a short 429: the posts the feed brought matter more than the
            # ids, which the next sync asks for again.
            _log.info("term ids of %s not read: %s", source.url, error.reason)
        return
    finally:
        _let_go(asked)
    store.mark_terms(categories, tags, source=source_id)


async def _backfill_rest(
    store: Store,
    fetcher: Fetcher,
    source: Source,
    source_id: int,
    report: SyncReport,
    tell: Progress,
) -> None:
    """Every post through the REST API, a page of 100 at a time."""
    tell(0, None, "Reading categories and tags")
    # The site's index, its categories, its tags and the archive's first page are asked for
    # at once (asked in turn, they were four round trips before the first post); what they
    # say is stored in the order it always was.
    site = source.url
    index = asyncio.ensure_future(wordpress.site_index(fetcher, site))
    asked_categories = asyncio.ensure_future(wordpress.terms(fetcher, site, "categories"))
    asked_tags = asyncio.ensure_future(wordpress.terms(fetcher, site, "tags"))
    first = asyncio.ensure_future(wordpress.archive_page(fetcher, site, 1))
    try:
        _keep_site_index(store, source_id, await index)
        categories = await asked_categories
        tags = await asked_tags
        store.mark_terms(categories, tags, source=source_id)
        total: list[int] = [0]
        done = 0

        def on_total(count: int) -> None:
            total[0] = count

        # Closed on the way out, whatever happens: the pages it has already asked for (it
        # reads ahead) are cancelled when a batch cannot be stored, not left running until
        # collected.
        pages = wordpress.all_posts(fetcher, site, categories, tags, on_total=on_total, first=first)
        async with contextlib.aclosing(pages):
            async for batch in pages:
                _store_posts(store, source_id, batch, report)
                done += len(batch)
                tell(done, total[0] or None, "Reading the archive")
    finally:
        _let_go([index, asked_categories, asked_tags, first])
    store.set_source_meta(source_id, "has_rest_api", "yes")


def _paged(url: str, page: int) -> str:
    """WordPress's page ``page`` of the feed at ``url``."""
    return f"{url}{'&' if '?' in url else '?'}paged={page}"


async def _older_feed_pages(
    store: Store,
    fetcher: Fetcher,
    source: Source,
    source_id: int,
    first: ParsedFeed,
    report: SyncReport,
    tell: Progress,
) -> None:
    """A feed's older pages: its RFC 5005 ``next`` links, else WordPress's ``?paged=N``."""
    if not first.next_url:
        if first.from_wordpress and first.entries:
            await _backfill_feeds(
                store, fetcher, source, source_id, report, tell, [], first.entries
            )
        return
    seen = {source.feed_url}
    url, page = first.next_url, 2
    while url and url not in seen and page <= _MAX_FEED_PAGES:
        seen.add(url)
        tell(page - 1, None, f"Reading feed page {page}")
        try:
            feed, _ = await _read_feed(fetcher, store, source_id, url, conditional=False)
        except FetchError as error:
            if error.status in (404, 410):
                return
            raise
        if feed is None or not feed.entries:
            return
        _store_posts(store, source_id, [_incoming(e) for e in feed.entries], report)
        url, page = feed.next_url, page + 1


async def _backfill_feeds(
    store: Store,
    fetcher: Fetcher,
    source: Source,
    source_id: int,
    report: SyncReport,
    tell: Progress,
    excerpt_only: list[str],
    first: Sequence[FeedEntry] = (),
) -> None:
    """Every post through the paged feeds after the ``first`` page, when there is no REST API."""
    # No REST API: walk the paged feeds until the site says there are no more (a 404). A
    # few pages are asked for at once (the fetcher bounds requests per host); they are stored
    # in page order, so a page past the end stops the walk with nothing skipped.
    page = 2
    # A server that ignores ?paged= answers every page with the first: a page that brings no
    # post the walk has not seen ends it (else such a feed was read 500 times).
    seen = {entry.url for entry in first}
    while page <= _MAX_FEED_PAGES:
        window = range(page, min(page + _WINDOW, _MAX_FEED_PAGES + 1))
        tell(page - 1, None, f"Reading feed pages {window[0]}-{window[-1]}")
        results = await asyncio.gather(
            *(
                _read_feed(fetcher, store, source_id, _paged(source.feed_url, n), conditional=False)
                for n in window
            ),
            return_exceptions=True,
        )
        # The window's pages are stored together, in page order, in one transaction: each
        # transaction costs a commit and the sections' look-ups again (a page at a time, a
        # cold sync from RSS only made 100 transactions of 10 posts each).
        incoming, more, failed = _window_posts(results, seen)
        if incoming:
            _store_posts(store, source_id, incoming, report)
            excerpt_only.extend(p.url for p in incoming if p.content is None)
        if failed is not None:
            raise failed
        if not more:
            return
        page += _WINDOW


def _window_posts(
    results: Sequence[tuple[ParsedFeed | None, Validators] | BaseException], seen: set[str]
) -> tuple[list[IncomingPost], bool, BaseException | None]:
    """The posts of a window of feed pages, up to the page that ends the walk: (posts, whether
    the walk goes on, the failure to raise once they are stored).

    A page past the end (404, not a feed, empty) ends it, and so does a page with no post
    ``seen`` lacks (a server that ignores ``?paged=`` answers every page with the first);
    ``seen`` gains each page's posts.
    """
    incoming: list[IncomingPost] = []
    for result in results:
        if isinstance(result, FetchError) and result.status in (404, 410):
            return incoming, False, None
        if isinstance(result, SyncError):
            return incoming, False, None
        if isinstance(result, BaseException):
            return incoming, False, result
        feed = result[0]
        if feed is None or not feed.entries:
            return incoming, False, None
        urls = {entry.url for entry in feed.entries}
        if urls <= seen:
            return incoming, False, None
        seen |= urls
        incoming.extend(_incoming(e) for e in feed.entries)
    return incoming, True, None


async def _fill_bodies(
    store: Store,
    fetcher: Fetcher,
    source_id: int,
    urls: Iterable[str],
    report: SyncReport,
    tell: Progress,
) -> None:
    wanted: list[Post] = []
    for url in dict.fromkeys(urls):
        if len(wanted) == _PAGES_PER_SYNC:
            break  # each look-up reads a whole post (its sections, links, bookmark)
        post = store.find_post(url, source=source_id)
        if post is not None and not post.content and not post.page_fetched:
            wanted.append(post)
    done = 0
    guard = _page_guard(store, source_id)

    async def read(post: Post) -> str | None:
        nonlocal done
        try:
            await complete_post(store, fetcher, post, check_address=guard.check, parse_here=True)
        except (FetchError, SyncError) as error:
            return str(error)
        done += 1
        tell(done, len(wanted), "Reading article pages")
        return None

    # Pages are read a few at a time; the first failure is reported, the rest are read later
    # when opened.
    for start in range(0, len(wanted), _WINDOW):
        problems = await asyncio.gather(*(read(p) for p in wanted[start : start + _WINDOW]))
        report.pages_fetched = done
        failed = [p for p in problems if p]
        if failed:
            report.errors.append(failed[0])
            break


def _page_guard(store: Store, source_id: int) -> PublicAddresses:
    """What a page a sync reads unasked may be fetched from (see :mod:`reader.core.addresses`).

    A feed's item links are the feed writer's to choose: left alone, a site's feed of excerpt
    items could make every sync request ``http://169.254.169.254/...`` or a printer's admin
    page from inside the user's network (or the server's, under ``reader serve``). So the pages
    a sync reads by itself (a site feed's excerpt-only items, ``--pages``) are fetched from a
    non-public address only at a source's own host, or an address the site calls itself by.
    A post the user opens is fetched wherever it is, as a browser follows a link.
    """
    own = [*store.source_urls(), *(f"//{host}/" for host in store.site_addresses(source_id))]
    return PublicAddresses(own)


def _path(url: str) -> str:
    try:
        return urlsplit(url).path.rstrip("/")
    except ValueError:
        return ""


def _save_page(store: Store, post_id: int, page: ArticlePage, *, content: str | None) -> bool:
    """Store what ``page`` says of the post (body ``content``, links, byline, topics)."""
    return store.save_page(
        post_id,
        content=content,
        links=page.links,
        author=page.author,
        reading_minutes=page.reading_minutes,
        tags=[t.slug for t in page.topics if t.is_tag],
        terms=[(t.slug, t.name) for t in page.topics],
        exact=page.body_exact,
        is_page=page.is_page,
        utc_offset=page.utc_offset,
    )


class NotAnArticle(SyncError):
    """The page fetched for a post is a list of posts, or another post's page."""


def _check_page_of(post: Post, page: ArticlePage) -> None:
    """Refuse a page that is not ``post``'s own, before anything of it is stored.

    A post's address may come to answer with the home page (a site whose permalinks were
    switched off answers every old address so) or with another post: stored, that page's
    list or text replaced the post's.
    """
    if page.listing:
        raise NotAnArticle(
            f"Not an article: {post.url} answered with {page.listing}; the post is kept as stored"
        )
    if post.wp_id is not None and page.wp_id is not None and post.wp_id != page.wp_id:
        raise NotAnArticle(
            f"Not this post's page: {post.url} answered with post {page.wp_id}'s,"
            f" not post {post.wp_id}'s; the post is kept as stored"
        )


async def complete_post(
    store: Store,
    fetcher: Fetcher,
    post: Post,
    *,
    writes: StoreWrites | None = None,
    check_address: Callable[[str], Awaitable[str | None]] | None = None,
    parse_here: bool = False,
) -> Post:
    """Fetch and extract ``post``'s page: body, navigation, topics. Returns the stored post.

    The page is parsed in a worker thread, or on the caller's loop when ``parse_here`` and it
    is small (a sync's own loop: see ``_PARSED_HERE``; never the screen's).

    A page whose text differs from the REST API's body is either an edit or what the theme
    adds around the body; the REST API, asked for that one post, tells which. Every write goes
    through ``writes`` (the screen's is a thread of its own, see
    :mod:`reader.core.store_writer`); by default it is done on ``store`` at once.
    """
    write = writes or writes_to(store)
    response = await fetcher.get(
        post.url, accept="text/html,application/xhtml+xml", check_address=check_address
    )
    from reader.core.page import extract_page

    if parse_here and len(response.content) <= _PARSED_HERE:
        page = extract_page(response.content, response.url)
    else:
        page = await asyncio.to_thread(extract_page, response.content, response.url)
    _check_page_of(post, page)
    differs = await write(
        lambda writer: _save_page(writer, post.id, page, content=page.body_html or None)
    )
    stored = store.post(post.id)
    source_id = stored.source_id if stored is not None else None
    if source_id is not None and _path(page.url) == _path(response.url):
        # The page names itself at this path on another host: that host is the site too.
        addresses = [page.url, response.url]
        await write(lambda writer: writer.add_site_addresses(source_id, addresses))
    if source_id is not None:
        await _after_page(store, fetcher, source_id, post, page, differs, write)
    stored = store.post(post.id)
    if stored is None:
        raise SyncError(f"{post.url} vanished from the store while it was being read")
    if not stored.content and not stored.excerpt:
        raise SyncError(f"{post.url} has no article text the reader could find")
    return stored


_PAGES_AT_ONCE = 4
"""Article pages read at once by :func:`read_every_page` (the fetcher also bounds a host)."""


@record
class PagesRead:
    """What :func:`read_every_page` did."""

    done: int = 0
    """Pages read and stored."""
    problems: tuple[str, ...] = ()
    """Why each page not read was not, one line each."""
    skipped: int = 0
    """Pages left alone for having refused within ``REFUSED_FOR_DAYS`` days."""


REFUSED_PAGES = "pages_refused"
"""The source's meta key of its pages that refused (see ``reader.core.refusals``), by post id."""


async def read_every_page(
    store: Store, fetcher: Fetcher, source: Source, *, progress: Progress | None = None
) -> PagesRead:
    """Read every article page of ``source`` not read yet.

    Each page is stored as soon as it is read, so a run killed half-way leaves those, and the
    next run reads only the rest. Going offline stops it; any other failure skips that page.
    A page that refused for good (no article, too big, a 404: see ``refused_for_good``) is
    remembered with the time, and left alone for ``REFUSED_FOR_DAYS`` days.
    """
    from reader.core.refusals import Refusals, refused_for_good

    tell = progress or (lambda done, total, what: None)
    source_id = store.source_id(source)
    if source_id is None or not source.is_site:
        return PagesRead()
    refusals = Refusals.from_text(store.source_meta(source_id, REFUSED_PAGES))
    unread = store.unread_page_ids(source=source_id)
    wanted = [post_id for post_id in unread if not refusals.refused(str(post_id))]
    guard = _page_guard(store, source_id)
    waiting = iter(wanted)
    done = 0
    problems: list[str] = []
    offline = False

    async def reader() -> None:
        nonlocal done, offline
        for post_id in waiting:
            if offline:
                return
            post = store.post(post_id)
            if post is None or post.page_fetched:
                continue
            try:
                await complete_post(
                    store, fetcher, post, check_address=guard.check, parse_here=True
                )
            except (FetchError, SyncError) as error:
                problems.append(str(error))
                offline = offline or bool(getattr(error, "offline", False))
                if isinstance(error, SyncError) or refused_for_good(error):
                    refusals.note(str(post_id))
                continue
            done += 1
            tell(done, len(wanted), "Reading article pages")

    tell(0, len(wanted), "Reading article pages")
    try:
        await asyncio.gather(*(reader() for _ in range(_PAGES_AT_ONCE)))
    finally:
        # Kept even when stopped half-way; a page read since (or removed) is forgotten.
        refusals.keep_only({str(post_id) for post_id in unread})
        store.set_source_meta(source_id, REFUSED_PAGES, refusals.to_text())
    return PagesRead(done, tuple(problems), len(unread) - len(wanted))


async def _article_at(fetcher: Fetcher, url: str) -> ArticlePage:
    """The article page at ``url``, fetched and extracted; SyncError when it is none."""
    response = await fetcher.get(url, accept="text/html,application/xhtml+xml")
    from reader.core.page import extract_page

    page = await asyncio.to_thread(extract_page, response.content, response.url)
    if page.listing:
        raise NotAnArticle(f"Not an article: {url} is {page.listing}; nothing was stored")
    if not page.body_html or not page.title:
        raise SyncError(f"{url} does not look like an article: no title or text found")
    return page


async def open_link(
    store: Store,
    fetcher: Fetcher,
    source: Source | None,
    url: str,
    *,
    writes: StoreWrites | None = None,
) -> Post:
    """The post at a URL of ``source``: from the store, else fetched, extracted and stored.

    Of no source read (``source`` None), it is stored under the source of its host the store
    holds, else one kept for that host alone (``Store.source_on_host``). The writes go through
    ``writes``, as :func:`complete_post`'s do.
    """
    readable = store.find_readable(url)
    if readable is not None:
        return readable
    write = writes or writes_to(store)
    page = await _article_at(fetcher, url)

    def keep(writer: Store) -> int:
        source_id = writer.source_on_host(page.url) if source is None else writer.add_source(source)
        found = writer.find_post(page.url, source=source_id)
        if found is None:
            categories = tuple((t.slug, t.name) for t in page.topics if not t.is_tag)
            tags = tuple((t.slug, t.name) for t in page.topics if t.is_tag)
            writer.upsert_posts(
                [
                    IncomingPost(
                        url=page.url,
                        title=page.title,
                        author=page.author,
                        published=page.published,
                        wp_id=page.wp_id,
                        content=page.body_html,
                        categories=categories,
                        tags=tags,
                        origin=Origin.PAGE,
                        is_page=page.is_page,
                        utc_offset=page.utc_offset,
                    )
                ],
                source=source_id,
            )
            found = writer.find_post(page.url, source=source_id)
        if found is None:
            raise SyncError(f"{url} could not be stored")
        _save_page(writer, found.id, page, content=page.body_html)
        return found.id

    post_id = await write(keep)
    stored = store.post(post_id)
    if stored is None:
        raise SyncError(f"{url} could not be stored")
    return stored


async def _after_page(
    store: Store,
    fetcher: Fetcher,
    source_id: int,
    post: Post,
    page: ArticlePage,
    differs: bool,
    write: StoreWrites,
) -> None:
    """What a page read teaches about its site: its clock, and whether the post was edited."""
    meta = store.source_meta
    offset = page.utc_offset
    if offset is not None and not (
        meta(source_id, "site_timezone") or meta(source_id, "site_gmt_offset")
    ):
        # No REST index to ask: the page's own clock is the best guess for the other posts.
        await write(lambda writer: writer.set_site_clock(source_id, "", str(offset / 60)))
    wp_id = post.wp_id or page.wp_id
    if differs and wp_id is not None and meta(source_id, "has_rest_api") == "yes":
        stored = store.stored_source(source_id)
        site = stored.url if stored is not None and stored.is_site else site_of(post.url)
        fresh = await wordpress.one_post(fetcher, site, wp_id)
        if fresh is not None:
            await write(lambda writer: writer.upsert_posts([fresh], source=source_id))


def site_of(url: str) -> str:
    """The root of the site ``url`` is on (``https://host/``)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def last_sync(store: Store) -> int | None:
    """Unix time of the last successful sync, or None."""
    return store.last_synced()


__all__ = [
    "NotAnArticle",
    "Progress",
    "Source",
    "SyncError",
    "complete_post",
    "last_sync",
    "open_link",
    "sync",
    "sync_all",
]
