"""Which requests go through a proxy, read from the environment as curl and urllib read it."""

from __future__ import annotations

import httpx
import pytest

from reader.core.addresses import PublicAddresses
from reader.core.connections import _named_host
from reader.core.fetch import FetchError
from reader.core.proxies import Proxies, shown

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


def test_a_setting_without_a_scheme_is_http() -> None:
    assert Proxies({"https_proxy": "proxy.corp:3128"}).for_url("https", "example.org") == (
        "http://proxy.corp:3128"
    )


@pytest.mark.parametrize(
    ("no_proxy", "scheme", "host", "port", "bypassed"),
    [
        ("10.0.0.0/8", "http", "10.1.2.3", None, True),
        ("10.0.0.0/8", "http", "11.1.2.3", None, False),
        ("10.0.0.0/8", "http", "ten.example.org", None, False),
        ("fd00::/8", "http", "[fd12::1]", None, True),
        ("example.org:443", "https", "example.org", None, True),
        ("example.org:443", "http", "example.org", None, False),
        ("*.example.org", "http", "news.example.org", None, True),
        ("*.example.org", "http", "example.org", None, True),
        ("192.0.2.7", "http", "192.0.2.7", 8080, True),
        ("2.7", "http", "192.0.2.7", None, False),
    ],
)
def test_no_proxy_reads_as_curl_reads_it(
    no_proxy: str, scheme: str, host: str, port: int | None, bypassed: bool
) -> None:
    proxies = Proxies({"all_proxy": PROXY, "no_proxy": no_proxy})
    assert (proxies.for_url(scheme, host, port) is None) is bypassed


def test_a_password_is_never_shown() -> None:
    assert shown("http://bob:hunter2@proxy.corp:3128/") == "http://proxy.corp:3128/"
    assert shown("bob:hunter2@proxy.corp:3128") == "proxy.corp:3128"
    assert shown(PROXY) == PROXY
    assert Proxies({"all_proxy": "socks5://bob:hunter2@h:1080"}).ignored == [
        "all_proxy=socks5://h:1080"
    ]


def test_a_request_pinned_to_an_address_is_judged_by_its_name() -> None:
    # reader.core.addresses pins a checked picture host to the address it approved; the Host
    # header keeps the name, and no_proxy names the host, not that address.
    request = httpx.Request(
        "GET", "http://192.0.2.7/x.png", headers={"Host": "direct.example.test"}
    )
    proxies = Proxies({"http_proxy": PROXY, "no_proxy": "direct.example.test"})
    assert _named_host(request) == ("direct.example.test", None)
    assert proxies.for_url("http", *_named_host(request)) is None
    assert proxies.for_url("http", "192.0.2.7") == PROXY


async def test_a_name_that_does_not_resolve_here_is_refused_through_a_proxy() -> None:
    picture = "http://admin.internal.example.test/x.png"
    # Direct, the fetch fails with the resolver's own reason; the check lets it be.
    assert await PublicAddresses(proxies=Proxies({})).check(picture) is None
    through = PublicAddresses(proxies=Proxies({"http_proxy": PROXY}))
    with pytest.raises(FetchError, match="does not resolve here"):
        await through.check(picture)
    # A source's own host is never checked, proxy or not.
    own = PublicAddresses(["http://admin.internal.example.test/"], Proxies({"http_proxy": PROXY}))
    assert await own.check(picture) is None
