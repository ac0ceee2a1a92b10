"""The sites the reader is tested against, behind one face: the sample site and real WordPress.

A :class:`ReadSite` is what a test needs of a site: its address, what its pages carry, and the
edits a test makes while the reader watches (a new post, an edited one, the site going away).
The sample site is changed in memory; WordPress through its own PHP API.
"""

from __future__ import annotations

import html
import json
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from reader.sample.server import SampleServer
    from tests.support.wordpress.harness import WordPressSite

Kind = Literal["sample", "classic", "block"]
KINDS: tuple[Kind, ...] = ("sample", "classic", "block")
"""The sample site, WordPress with Twenty Twenty-One, WordPress with Twenty Twenty-Three."""


def _wait_until_refused(url: str, *, within: float = 10.0) -> None:
    """Return once connections to ``url``'s port are refused.

    ``php -S`` workers killed with their group are gone only when the kernel has finished
    them: until then their listening socket still takes a connection and then resets it, and a
    sync started at once (the reader's now starts ~30 ms sooner: its TLS waits for https) met
    "connection reset" instead of the "connection refused" of a site that is not there.
    """
    parts = urlsplit(url)
    address = (parts.hostname or "127.0.0.1", parts.port or 80)
    ends = time.monotonic() + within
    while True:
        try:
            with socket.create_connection(address, timeout=1.0):
                pass
        except ConnectionRefusedError:
            return
        except OSError:
            pass  # reset by a dying worker, or timed out: still going
        if time.monotonic() > ends:
            raise RuntimeError(f"{url} still takes connections {within:g} s after its stop")
        time.sleep(0.01)  # polling the port itself, between tries


@dataclass
class ReadSite:
    """One site under test: where it is, what its pages show, how a test changes it."""

    kind: Kind
    url: str
    sample: SampleServer | None = None
    wordpress: WordPressSite | None = None
    _log_start: int = field(default=0)

    # -- what the site's pages carry -----------------------------------------------------

    @property
    def name(self) -> str:
        """How test ids name the site."""
        return {"sample": "sample", "classic": "wp-classic", "block": "wp-block"}[self.kind]

    @property
    def has_post_navigation(self) -> bool:
        """True when article pages link the older and newer post (Twenty Twenty-Three's don't)."""
        navigation = self.wordpress.navigation if self.wordpress else "theme"
        if navigation == "hidden":
            return False
        return self.kind != "block" or navigation == "blocks"

    @property
    def has_read_this_next(self) -> bool:
        """True when pages have the institute's "read this next" box (a plugin, not WordPress)."""
        return self.kind == "sample"

    @property
    def has_reading_time(self) -> bool:
        """True when pages say "Reading Time N minutes" (a plugin too)."""
        return self.kind == "sample"

    # -- what a test does to it ----------------------------------------------------------

    def add_post(
        self,
        title: str,
        body: str | None = None,
        *,
        section: str = "news",
        topics: tuple[str, ...] = ("brain",),
        tags: tuple[str, ...] = (),
        published: datetime | None = None,
    ) -> str:
        """Publish a post (by default the newest); returns its address."""
        if self.sample is not None:
            post = self.sample.site.add_post(
                title, body, section=section, topics=topics, tags=tags, published=published
            )
            return self.sample.url_for(post.path)
        assert self.wordpress is not None
        when = (published or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        content = (
            body if body is not None else f"<p>{html.escape(title)}: a post added by a test.</p>"
        )
        made = self.wordpress.php(
            f"""
            $id = wp_insert_post([
                'post_type' => 'post', 'post_status' => 'publish',
                'post_title' => {_php(title)}, 'post_content' => {_php(content)},
                'post_author' => get_user_by('slug', 'mara-okafor')->ID,
                'post_date_gmt' => {_php(when)},
                'post_date' => get_date_from_gmt({_php(when)}, 'Y-m-d H:i:s'),
                'post_category' => array_map(
                    fn ($s) => get_term_by('slug', $s, 'category')->term_id,
                    {_php([section, *topics])}),
            ], true);
            if (is_wp_error($id)) {{ throw new RuntimeException($id->get_error_message()); }}
            wp_set_object_terms($id, {_php(list(tags))}, 'post_tag');
            return get_permalink($id);
            """
        )
        return str(made)

    def edit_post(self, post_id: int, *, title: str | None = None, body: str | None = None) -> None:
        """Edit a post (its ``modified`` moves on), as an editor would."""
        if self.sample is not None:
            self.sample.site.touch_post(post_id, title=title, body=body)
            return
        assert self.wordpress is not None
        changes = {"ID": post_id}
        if title is not None:
            changes["post_title"] = title  # type: ignore[assignment]
        if body is not None:
            changes["post_content"] = body  # type: ignore[assignment]
        self.wordpress.php(
            f"""
            $done = wp_update_post({_php(changes)}, true);
            if (is_wp_error($done)) {{ throw new RuntimeException($done->get_error_message()); }}
            return $done;
            """
        )

    def post_ids(self) -> list[int]:
        """The site's post ids, newest first."""
        if self.sample is not None:
            return [post.id for post in self.sample.site.posts()]
        assert self.wordpress is not None
        found = self.wordpress.php(
            "return get_posts(['numberposts' => -1, 'fields' => 'ids',"
            " 'orderby' => 'date', 'order' => 'DESC']);"
        )
        return [int(i) for i in found]

    def stop(self) -> None:
        """Take the site off the network (the reader's next sync finds nobody there)."""
        if self.sample is not None:
            self.sample.stop()
        elif self.wordpress is not None and self.wordpress.process is not None:
            from tests.support.wordpress.harness import _stop

            _stop(self.wordpress.process)
            self.wordpress.process = None
            _wait_until_refused(self.url)

    def resume(self) -> None:
        """Serve the site again, on the same address, after :meth:`stop`."""
        if self.sample is not None:
            self.sample.start()
        elif self.wordpress is not None and self.wordpress.process is None:
            self.wordpress.restart()

    def mark_requests(self) -> None:
        """Start counting requests from now (see :meth:`requests`)."""
        if self.sample is not None:
            self._log_start = len(self.sample.request_log)
        else:
            assert self.wordpress is not None
            self._log_start = len(self.wordpress.requests())

    def requests(self) -> list[tuple[str, str, int]]:
        """(method, target, status) of each request since :meth:`mark_requests`."""
        if self.sample is not None:
            return list(self.sample.request_log[self._log_start :])
        assert self.wordpress is not None
        return self.wordpress.requests()[self._log_start :]


def known_defect(
    request: pytest.FixtureRequest, site: ReadSite, number: int, what: str, *kinds: Kind
) -> None:
    """Mark this test as failing on ``kinds`` of site until issue 12's defect ``number`` is fixed.

    Strict: once the defect is fixed the test passes, the mark fails it, and it must go.
    """
    if site.kind in kinds:
        reason = f"issue 12, defect {number}: {what}"
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def _php(value: object) -> str:
    """A Python value as a PHP expression (through JSON: strings, numbers, lists, dicts)."""
    return f"json_decode({_quote(json.dumps(value))}, true)"


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
