"""Which network addresses a post's pictures may be fetched from.

A picture's address comes from the post's body, which anyone who writes the feed chooses. Left
alone, a public feed could make the reader request ``http://127.0.0.1:8080/admin/...`` or a
cloud's metadata address (169.254.169.254) from inside the user's network, or, under ``reader
serve``, from inside the server's. So, like a browser's private network access rule, a picture
on a loopback, private, link-local or other non-public address is fetched only from a host the
user chose as a source (the sample site and an intranet WordPress serve their own pictures
from their own address); every hop of a redirect is checked the same way.

The check resolves the host name itself, and the request then connects to an address the check
found, not to whatever the name resolves to a moment later: a name that answers a public
address to the check and a private one to the connection (DNS rebinding) is still kept off the
private network. A source's own host is not checked, so it is not pinned either.

Through a proxy (``reader.core.proxies``) it is the proxy that resolves and connects: a name
is still judged by what it resolves to here, but one that does not resolve here is refused,
since the proxy might reach it on a network the check never saw.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from reader.core.fetch import FetchError
from reader.core.proxies import Proxies
from reader.core.text import clean_line
from reader.core.urls import host_and_port


def is_public(address: str) -> bool:
    """True for an address on the public internet; False for loopback, private, link-local,
    multicast, reserved and the like. An IPv4 address written as IPv6 is judged as IPv4."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
    return ip.is_global and not ip.is_multicast


class PublicAddresses:
    """Refuses requests to non-public addresses, except to the sources' own hosts."""

    def __init__(self, own: Iterable[str] = (), proxies: Proxies | None = None) -> None:
        self.own = frozenset(host_and_port(url) for url in own if url) - {""}
        """The ``host[:port]`` of each source, where any address is allowed."""
        self.proxies = proxies if proxies is not None else Proxies()
        """Where a request would go through a proxy, which resolves names itself."""
        self._seen: dict[tuple[str, int], tuple[str | None, str | None]] = {}
        """Each checked ``(host, port)``: its first private address, if any, else the public
        address requests to it connect to (None for an address written as such, or a name
        that did not resolve)."""

    async def check(self, url: str) -> str | None:
        """Raise :class:`FetchError` if ``url``'s host is on a non-public address.

        Returns the address the request must connect to when the host is a name that was
        resolved here (the fetcher pins it), else None.
        """
        if host_and_port(url) in self.own:
            return None
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError:
            return None  # the fetch itself says "malformed address"
        key = (host, port)
        if key not in self._seen:
            self._seen[key] = await _resolved(host, port)
        private, public = self._seen[key]
        if private is None and public is None and not _is_literal(host):
            # Unresolved here. Direct, the request fails with the resolver's own reason; a
            # proxy would resolve and connect to it unchecked, intranet and all.
            proxy = self.proxies.for_url(parts.scheme.lower(), host, port)
            if proxy is not None:
                raise FetchError(
                    url,
                    f"refused: {clean_line(host)} does not resolve here, and through the proxy "
                    "its address cannot be checked",
                )
        if private is not None:
            where = (
                f"{private} is a private network address"
                if host.strip("[]") == private
                else f"{clean_line(host)} is at a private network address ({private})"
            )
            raise FetchError(url, f"refused: {where}, not a source's own")
        return public


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


async def _resolved(host: str, port: int) -> tuple[str | None, str | None]:
    """The first non-public address ``host`` resolves to, if any; else the first address it
    resolves to, which the request is pinned to. (None, None) for a literal public address,
    and for a name that does not resolve: the request then fails with the resolver's own
    reason."""
    literal = host.strip("[]")
    try:
        ipaddress.ip_address(literal.split("%", 1)[0])
    except ValueError:
        pass
    else:
        return (None, None) if is_public(literal) else (literal, None)
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None, None
    addresses = [str(sockaddr[0]) for _family, _type, _proto, _name, sockaddr in found]
    for address in addresses:
        if not is_public(address):
            return address, None
    return None, (addresses[0] if addresses else None)
