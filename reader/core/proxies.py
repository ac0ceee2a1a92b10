"""Which requests go through a proxy: the ``http_proxy`` / ``https_proxy`` / ``all_proxy`` /
``no_proxy`` variables, read the way curl reads them.

httpx reads them too, but only for a client it makes its own connection pools for; the reader
brings its own pools (``reader.core.connections``), so it asks here instead. Institute networks
and the login nodes of compute clusters often reach the web through nothing else.

Loopback is never proxied, whatever ``no_proxy`` says: a proxy that forwarded
``http://127.0.0.1:8080/`` would reach its own machine, not the user's, and the demo's sample
site lives there.
"""

from __future__ import annotations

import ipaddress
import urllib.request
from collections.abc import Mapping
from urllib.parse import urlsplit

_SCHEMES = ("http://", "https://")
"""Proxies the reader can speak to. SOCKS would need an extra package; such a setting is
ignored (listed in :attr:`Proxies.ignored`, and logged) rather than failing every request."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


def shown(proxy: str) -> str:
    """``proxy`` as it may be printed or logged: never the password of a
    ``http://user:password@host:port/`` setting."""
    parts = urlsplit(proxy if "://" in proxy else "//" + proxy)
    bare = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    return bare if "://" in proxy else bare.removeprefix("//")


def _with_scheme(address: str) -> str:
    # "proxy.corp:3128" is how many people write it, and curl, wget and pip take it as http.
    return address if "://" in address else "http://" + address


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def _is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    ip = _ip(name)
    return ip is not None and ip.is_loopback


class Proxies:
    """The proxy settings of one process's environment, read once."""

    def __init__(self, environment: Mapping[str, str] | None = None) -> None:
        if environment is None:
            found = urllib.request.getproxies_environment()
        else:
            # The same reading as urllib's, of a given mapping: lower case wins over upper.
            found = {}
            for key, value in environment.items():
                if value and key.lower().endswith("_proxy"):
                    name = key.lower()[: -len("_proxy")]
                    if key.islower() or name not in found:
                        found[name] = value
        self._no_proxy = found.get("no", "")
        usable = {
            scheme: _with_scheme(found[scheme].strip())
            for scheme in ("http", "https", "all")
            if found.get(scheme, "").strip()
        }
        self._by_scheme = {
            scheme: address
            for scheme in ("http", "https")
            if (address := usable.get(scheme) or usable.get("all") or "").startswith(_SCHEMES)
        }
        self.ignored = sorted(
            f"{scheme}_proxy={shown(address)}"
            for scheme, address in usable.items()
            if not address.startswith(_SCHEMES)
        )
        """Settings naming a proxy the reader cannot use (``socks5://...``, say), without
        their passwords."""

    def __bool__(self) -> bool:
        return bool(self._by_scheme)

    def for_url(self, scheme: str, host: str, port: int | None = None) -> str | None:
        """The proxy a request to ``scheme://host:port`` goes through, or None to go direct."""
        address = self._by_scheme.get(scheme)
        if address is None or _is_loopback(host):
            return None
        if _bypassed(self._no_proxy, host, port or _DEFAULT_PORTS.get(scheme)):
            return None
        return address


def _bypassed(no_proxy: str, host: str, port: int | None) -> bool:
    """Whether ``no_proxy`` sends ``host[:port]`` direct, as curl reads it: ``*`` for every
    host; an address range (``10.0.0.0/8``) or address for a host given as an address; else
    names, each matching itself and its subdomains (a leading ``.`` or ``*.`` changes
    nothing); an entry with a port matches that port only."""
    name = host.strip("[]").lower().rstrip(".")
    ip = _ip(name)
    for entry in no_proxy.replace(" ", "").lower().split(","):
        if entry == "*":
            return True
        if ip is not None and "/" in entry:
            try:
                if ip in ipaddress.ip_network(entry.strip("[]"), strict=False):
                    return True
            except ValueError:
                pass
            continue
        entry_host, entry_port = entry, ""
        if entry.startswith("[") and "]:" in entry:
            entry_host, _, entry_port = entry.rpartition(":")
        elif entry.count(":") == 1:
            entry_host, _, entry_port = entry.partition(":")
        entry_host = entry_host.strip("[]").removeprefix("*").lstrip(".").rstrip(".")
        if not entry_host or (entry_port and entry_port != str(port)):
            continue
        if name == entry_host or (ip is None and name.endswith("." + entry_host)):
            return True
    return False
