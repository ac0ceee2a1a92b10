"""The fetcher's connections: plain http ones, and TLS ones set up at the first https request.

httpx makes its TLS context when its client is made, whatever the addresses, and making it
reads the whole CA bundle (35-40 ms of a sync's start on these machines). A sync of a site on
http (the sample site, the tests, an intranet) never needs it, and a sync of an unchanged site
is mostly start-up, so the context waits for an https address. It is then httpx's own default,
made exactly as the client made it before (``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when set, else
certifi's bundle; hostnames checked), so https is verified as it always was.

A request pinned to a network address (``reader.core.addresses``) is sent to that address, its
host's name carried as TLS's server name. The pool keeps connections by address, so over https
each name has a pool of its own: a connection whose certificate was checked for one name is
never reused for another name that resolves to the same address.
"""

from __future__ import annotations

import importlib.util
import logging
import ssl
import sys
from urllib.parse import urlsplit

import httpx

from reader.core.proxies import Proxies


def _mark_sniffio_absent() -> None:
    """Have ``import sniffio`` fail at once when sniffio is not installed.

    httpcore imports sniffio inside ``current_async_library``, which runs for every lock,
    semaphore and request (about five times a request); anyio 4.11 stopped depending on it,
    so here it is usually absent, and Python does not remember a failed import: each one
    searched the whole ``sys.path`` again (38 us; 880 times in a sync from RSS only). A None
    in ``sys.modules`` is Python's own mark for "not importable": the import fails the same
    way (an ImportError, so httpcore takes asyncio, as before), without the search. Upstream:
    encode/httpcore discussion #1102, pull request #1103.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


_mark_sniffio_absent()


def _never_trusting() -> ssl.SSLContext:
    """A TLS context that trusts no certificate: the plain pool's, which never speaks TLS.

    httpx's pool wants a context; this one is cheap to make (no CA bundle), and should an https
    request ever reach the plain pool, every certificate fails to verify against it.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def _named_host(request: httpx.Request) -> tuple[str, int | None]:
    """The host and port a request is for, by name: a request pinned to an address
    (``reader.core.addresses``) names its host in the Host header, and ``no_proxy`` speaks of
    names, not of the addresses they had."""
    parts = urlsplit("//" + request.headers.get("host", ""))
    try:
        return (parts.hostname or request.url.host), parts.port or request.url.port
    except ValueError:
        return request.url.host, request.url.port


class Connections(httpx.AsyncBaseTransport):
    """Sends each request on a pool of its scheme: http now, https from its first request."""

    def __init__(self, proxies: Proxies | None = None) -> None:
        self.proxies = proxies if proxies is not None else Proxies()
        for setting in self.proxies.ignored:
            logging.getLogger(__name__).warning("not a proxy the reader can use: %s", setting)
        self._proxied: dict[str, httpx.AsyncHTTPTransport] = {}
        """Pools by the proxy they go through (see ``reader.core.proxies``)."""
        self._plain = httpx.AsyncHTTPTransport(verify=_never_trusting())
        self._tls: httpx.AsyncHTTPTransport | None = None
        self._context: ssl.SSLContext | None = None
        self._named: dict[str, httpx.AsyncHTTPTransport] = {}
        """Pools for https requests pinned to an address, by the name their certificate must
        carry. One per picture host met; each closes its idle connections after 5 s."""

    @property
    def tls_ready(self) -> bool:
        """True once an https request made the TLS pool (and read the CA bundle)."""
        return self._tls is not None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` on the pool for its scheme, or its proxy's."""
        if self.proxies:
            proxy = self.proxies.for_url(request.url.scheme, *_named_host(request))
            if proxy is not None:
                return await self._through(proxy, request.url.scheme).handle_async_request(request)
        if request.url.scheme == "http":
            return await self._plain.handle_async_request(request)
        if self._tls is None:
            # No await between the test and the assignment: one pool, even with many
            # requests starting at once on the loop.
            # httpx's own default context, made as its transport makes it; kept, so the
            # pools below share it.
            self._context = httpx.create_ssl_context()
            self._tls = httpx.AsyncHTTPTransport(verify=self._context)
        name = request.extensions.get("sni_hostname")
        if not isinstance(name, str):
            return await self._tls.handle_async_request(request)
        pool = self._named.get(name)
        if pool is None:
            # The TLS pool's own context: the CA bundle is read once, not once per name.
            assert self._context is not None
            pool = self._named[name] = httpx.AsyncHTTPTransport(verify=self._context)
        return await pool.handle_async_request(request)

    def _through(self, proxy: str, scheme: str) -> httpx.AsyncHTTPTransport:
        key = f"{scheme} {proxy}"
        pool = self._proxied.get(key)
        if pool is None:
            # One pool per proxy and scheme, made at its first request as the TLS pool is:
            # plain http to a plain http proxy never reads the CA bundle (35-40 ms).
            if scheme == "http" and proxy.startswith("http://"):
                verify = _never_trusting()
            else:
                if self._context is None:
                    self._context = httpx.create_ssl_context()
                verify = self._context
            pool = self._proxied[key] = httpx.AsyncHTTPTransport(
                verify=verify, proxy=httpx.Proxy(proxy)
            )
        return pool

    async def aclose(self) -> None:
        """Close every pool and its connections."""
        await self._plain.aclose()
        for proxied in self._proxied.values():
            await proxied.aclose()
        if self._tls is not None:
            await self._tls.aclose()
        for pool in self._named.values():
            await pool.aclose()
