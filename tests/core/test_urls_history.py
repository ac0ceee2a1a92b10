"""URL matching of in-site links, and the back/forward history."""

from __future__ import annotations

from reader.core.history import History
from reader.core.urls import is_followable, post_key, same_site, shortlink_id, topic_id, topic_slug


def test_post_key_folds_spellings() -> None:
    spellings = [
        "https://example.org/2025/03/04/slug/",
        "http://example.org/2025/03/04/slug",
        "https://www.example.org/2025/03/04/slug/#comments",
        "https://example.org/2025/03/04/slug/?utm_source=x",
    ]
    assert len({post_key(u) for u in spellings}) == 1


def test_shortlinks() -> None:
    assert shortlink_id("https://example.org/?p=123") == 123
    assert post_key("https://example.org/?p=123") == "?p=123"
    assert shortlink_id("https://example.org/x/") is None


def test_same_site_ignores_scheme_and_www() -> None:
    assert same_site("http://www.example.org/a", "https://example.org/")
    assert not same_site("https://example.com/a", "https://example.org/")
    assert not same_site("http://127.0.0.1:81/a", "http://127.0.0.1:82/")


def test_topic_links() -> None:
    assert topic_slug("https://e.org/category/brain/") == ("category", "brain")
    assert topic_slug("https://e.org/category/research/kidney/page/2/") == ("category", "kidney")
    assert topic_slug("https://e.org/tag/organoids") == ("tag", "organoids")
    assert topic_slug("https://e.org/2025/01/01/post/") is None
    # Plain permalinks: the term is in the query.
    assert topic_slug("https://e.org/?tag=organoids") == ("tag", "organoids")
    assert topic_slug("https://e.org/index.php?category_name=research/Kidney") == (
        "category",
        "kidney",
    )
    assert topic_slug("https://e.org/?p=12") is None
    assert topic_slug("https://e.org/2025/01/01/post/?tag=x") is None
    # ?cat=ID and ?tag_id=ID name the term by its WordPress id.
    assert topic_id("https://e.org/?cat=7") == ("category", 7)
    assert topic_id("https://e.org/index.php?tag_id=12&paged=2") == ("tag", 12)
    assert topic_id("https://e.org/?cat=seven") is None
    assert topic_id("https://e.org/?cat=-3") is None
    assert topic_id("https://e.org/2025/post/?cat=7") is None
    assert topic_id("https://e.org/?p=7") is None


def test_only_http_is_followable() -> None:
    assert is_followable("https://e.org/")
    for url in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "mailto:a@b"):
        assert not is_followable(url)


def test_history_back_forward_and_scroll() -> None:
    history = History()
    history.visit("a")
    history.remember_scroll(10)
    history.visit("b")
    history.visit("c")
    back = history.back()
    assert back is not None and back.url == "b"
    back = history.back()
    assert back is not None and back.url == "a" and back.scroll_y == 10
    assert history.back() is None
    forward = history.forward()
    assert forward is not None and forward.url == "b"
    history.visit("d")  # a new visit drops the forward part
    assert history.forward() is None
    assert history.back() is not None and history.current is not None
    assert history.current.url == "b"


def test_numbers_in_links_are_short_ascii_digits() -> None:
    # int() refuses more than 4,300 digits with a ValueError, "²" passes isdigit() but not
    # int(), and 20 digits overflow SQLite: none is an id, and none may raise.
    for hostile in ("9" * 5000, "9" * 20, "²", "١٢"):
        assert topic_id(f"https://e.org/?cat={hostile}") is None
        assert topic_id(f"https://e.org/?tag_id={hostile}") is None
        assert shortlink_id(f"https://e.org/?p={hostile}") is None
        assert post_key(f"https://e.org/?p={hostile}") == f"/?p={hostile}"
    assert topic_id("https://e.org/?cat=" + "9" * 18) == ("category", 10**18 - 1)
