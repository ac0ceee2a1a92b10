"""Which requests go through a proxy: the ``http_proxy`` / ``https_proxy`` / ``all_proxy`` /
``no_proxy`` variables, read the way curl, wget and Python's own ``urllib`` read them.

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

_SCHEMES = ("http://", "https://")
"""Proxies the reader can speak to. SOCKS would need an extra package; such a setting is
ignored (listed in :attr:`Proxies.ignored`, and logged) rather than failing every request."""


def _is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


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
        self._settings = found
        self._by_scheme = {
            scheme: address
            for scheme in ("http", "https")
            if (address := found.get(scheme) or found.get("all") or "").startswith(_SCHEMES)
        }
        self.ignored = sorted(
            f"{scheme}_proxy={address}"
            for scheme, address in found.items()
            if scheme in ("http", "https", "all") and address and not address.startswith(_SCHEMES)
        )
        """Settings naming a proxy the reader cannot use (``socks5://...``, say)."""

    def __bool__(self) -> bool:
        return bool(self._by_scheme)

    def for_url(self, scheme: str, host: str, port: int | None = None) -> str | None:
        """The proxy a request to ``scheme://host:port`` goes through, or None to go direct."""
        address = self._by_scheme.get(scheme)
        if address is None or _is_loopback(host):
            return None
        if _bypassed(self._settings.get("no", ""), host, port):
            return None
        return address


def _bypassed(no_proxy: str, host: str, port: int | None) -> bool:
    """Whether ``no_proxy`` sends ``host[:port]`` direct, as curl reads it: ``*`` for every
    host; else names, each matching itself and its subdomains (a leading dot changes
    nothing), an entry with a port only that port."""
    name = host.strip("[]").lower().rstrip(".")
    for entry in no_proxy.replace(" ", "").lower().split(","):
        if entry == "*":
            return True
        entry_host, entry_port = entry, ""
        if entry.count(":") == 1:
            entry_host, _, entry_port = entry.partition(":")
        entry_host = entry_host.strip("[]").lstrip(".").rstrip(".")
        if not entry_host or (entry_port and entry_port != str(port)):
            continue
        if name == entry_host or name.endswith("." + entry_host):
            return True
    return False
