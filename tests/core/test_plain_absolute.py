"""The quick way past urljoin for plain absolute addresses gives urljoin's own answers."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.urls import PLAIN_ABSOLUTE, is_followable, resolve, scheme

# Every character that matters to urlsplit or urlunsplit, and some that do not.
_PIECES = st.text(alphabet=list("/?#;[]:@%&=+ \t\r\n\x00\x85é.aZ09-_~!$'()*,\\"), max_size=12)
_SCHEMES = st.sampled_from(["http://", "https://", "HTTP://", "Https://", "ftp://", "http:", ""])
_BASES = st.sampled_from(
    [
        "http://example.org/a/b/",
        "https://example.org/a/b?q#f",
        "http://example.org",
        "http://[::1]:8080/x",
        "http://[bad/x",  # urlsplit raises: urljoin too
        "",
        "file:///etc/",
        "https://other.example/",
    ]
)


def _old_resolve(url: str, base: str) -> str:
    """resolve() as it was before its quick way."""
    try:
        return urljoin(base, url.strip())
    except ValueError:
        return url


def _old_is_followable(url: str) -> bool:
    return scheme(url) in ("http", "https")


@settings(max_examples=1000, deadline=None)
@given(_SCHEMES, _PIECES, _PIECES, _BASES)
def test_resolve_and_is_followable_answer_as_urljoin_and_urlsplit(
    start: str, host: str, rest: str, base: str
) -> None:
    url = start + host + rest
    assert resolve(url, base) == _old_resolve(url, base)
    assert is_followable(url) == _old_is_followable(url)
    if PLAIN_ABSOLUTE.fullmatch(url):
        assert urlsplit(url).geturl() == url
        for other in ("http://example.org/a/", "https://example.org/", "ftp://x/"):
            assert urljoin(other, url) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/a;b",  # parameters, split and rejoined
        "http://example.org/a?",  # an empty query, dropped
        "http://example.org/a#",  # an empty fragment, dropped
        "HTTP://example.org/",  # the scheme, lower-cased
        "http://[::1]/",  # brackets, checked
        "http://exa mple.org/",  # a space
        "http://example.org/\tx",  # a tab, removed
        "http://exämple.org/",  # past ASCII, checked
        "http:///example.org/",  # no host
    ],
)
def test_addresses_urlsplit_would_change_or_check_take_the_long_way(url: str) -> None:
    assert PLAIN_ABSOLUTE.fullmatch(url) is None


def test_plain_addresses_take_the_quick_way() -> None:
    for url in (
        "http://127.0.0.1:8080/2026/01/02/a-post/",
        "https://example.org/?p=12&x=y#comments",
        "https://user:pw@example.org",
    ):
        assert PLAIN_ABSOLUTE.fullmatch(url)
        assert resolve(url, "https://example.org/base/") == url
