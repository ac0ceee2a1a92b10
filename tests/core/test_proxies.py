"""Which requests go through a proxy, read from the environment as curl and urllib read it."""

from __future__ import annotations

import pytest

from reader.core.proxies import Proxies

PROXY = "http://proxy.example.org:3128"


def test_no_settings_no_proxy() -> None:
    proxies = Proxies({})
    assert not proxies
    assert proxies.for_url("http", "example.org") is None


def test_each_scheme_has_its_own_and_all_proxy_fills_in() -> None:
    proxies = Proxies({"http_proxy": PROXY, "ALL_PROXY": "http://other:8080"})
    assert proxies.for_url("http", "example.org") == PROXY
    assert proxies.for_url("https", "example.org", 443) == "http://other:8080"


def test_lower_case_wins_over_upper_case() -> None:
    assert (
        Proxies({"HTTP_PROXY": "http://upper:1", "http_proxy": PROXY}).for_url(
            "http", "example.org"
        )
        == PROXY
    )
    assert (
        Proxies({"http_proxy": PROXY, "HTTP_PROXY": "http://upper:1"}).for_url(
            "http", "example.org"
        )
        == PROXY
    )


@pytest.mark.parametrize(
    ("host", "port", "bypassed"),
    [
        ("intranet.corp", None, True),
        ("news.intranet.corp", None, True),
        ("example.org", 8080, True),
        ("example.com", None, False),
        ("notcorp", None, False),
        ("site.test", 8080, True),
        ("site.test", 80, False),
    ],
)
def test_no_proxy_names_hosts_and_domains(host: str, port: int | None, bypassed: bool) -> None:
    proxies = Proxies({"http_proxy": PROXY, "no_proxy": ".corp, example.org,site.test:8080"})
    assert (proxies.for_url("http", host, port) is None) is bypassed


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "a.localhost"]
)
def test_loopback_is_never_proxied(host: str) -> None:
    # The demo's sample site is on 127.0.0.1; a proxy would reach its own loopback instead.
    assert Proxies({"http_proxy": PROXY, "all_proxy": PROXY}).for_url("http", host, 8080) is None


def test_a_proxy_the_reader_cannot_speak_is_ignored_and_named() -> None:
    proxies = Proxies({"all_proxy": "socks5://127.0.0.1:1080", "https_proxy": PROXY})
    assert proxies.for_url("http", "example.org") is None
    assert proxies.for_url("https", "example.org") == PROXY
    assert proxies.ignored == ["all_proxy=socks5://127.0.0.1:1080"]


def test_no_proxy_star_sends_everything_direct() -> None:
    assert Proxies({"http_proxy": PROXY, "NO_PROXY": "*"}).for_url("http", "example.org") is None
