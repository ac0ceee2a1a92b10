"""Which addresses count as public for pictures: the rule, without the network."""

from __future__ import annotations

import pytest

from reader.core.addresses import PublicAddresses, is_public
from reader.core.fetch import FetchError


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::6810:84e5", True),
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # clouds' instance metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4 loopback written as IPv6
        ("::ffff:93.184.215.14", True),
        ("2002:7f00:1::", False),  # 6to4 wrapping 127.0.0.1
        ("not an address", False),
    ],
)
def test_public_and_private_addresses(address: str, public: bool) -> None:
    assert is_public(address) is public


async def test_literal_private_hosts_are_refused_without_resolving() -> None:
    addresses = PublicAddresses(["https://news.example.org/"])
    for url in (
        "http://127.0.0.1/x.png",
        "http://[::1]:8080/x.png",
        "http://169.254.169.254/latest/meta-data/",
    ):
        with pytest.raises(FetchError, match="private network address"):
            await addresses.check(url)
    await addresses.check("http://93.184.215.14/x.png")


async def test_a_name_that_resolves_to_loopback_is_refused() -> None:
    with pytest.raises(FetchError, match=r"localhost is at a private network address \(.+\)"):
        await PublicAddresses().check("http://localhost:9/x.png")


async def test_a_sources_own_host_and_port_may_be_private() -> None:
    addresses = PublicAddresses(["http://127.0.0.1:8123/", "http://intranet.local/news/"])
    await addresses.check("http://127.0.0.1:8123/wp-content/uploads/a.png")
    # The same host on another port is another service.
    with pytest.raises(FetchError):
        await addresses.check("http://127.0.0.1:22/")
