"""HTTP fetching that a hostile or broken server cannot hang, flood or trick.

One :class:`Fetcher` holds one shared ``httpx.AsyncClient`` (its TLS set up at the first https
request). Every request has an overall deadline (connect, headers, the whole body, redirects and
retry waits together), a cap on the decoded body size that holds even against compression bombs,
hand-followed redirects limited to http(s), bounded concurrency per host, conditional GET, and
retries for 429/503 that honour ``Retry-After``. Every failure becomes one :class:`FetchError`
whose text is a single line fit for the status bar.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import json
import logging
import socket
import ssl
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import httpx

from reader import __version__
from reader.core.connections import Connections
from reader.core.digits import MOST_DIGITS
from reader.core.proxies import shown
from reader.core.text import clean_line, clean_url

_log = logging.getLogger("reader.fetch")

DEFAULT_USER_AGENT = f"stemcell-reader/{__version__} (+terminal news reader)"

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRYABLE = frozenset({429, 503})
# A Retry-After shorter than this was waited out by the retries; longer ones are told.
_WORTH_SAYING = 60.0
_SCHEMES = frozenset({"http", "https"})
# Output handed out by zlib per step: small enough that a bomb never builds a big chunk at once.
_INFLATE_STEP = 256 * 1024
# Where _hide_location keeps a redirect's Location header.
_LOCATION = "x-reader-location"
# Validators are echoed back as request headers; anything odd would make httpx refuse the request.
_MAX_VALIDATOR = 1024


class FetchError(Exception):
    """A request that did not produce a usable response; ``str()`` is one line for the user."""

    url: str
    """The URL that was asked for (cleaned, safe to show)."""
    reason: str
    """What went wrong, e.g. "connection refused" or "server answered 404 Not Found"."""
    status: int | None
    """The HTTP status when the server answered with an error, else None."""
    offline: bool
    """True when the network or the host could not be reached at all (DNS, refused, unreachable)."""
    retry_after: float | None
    """Seconds the server asked to wait before asking again (429/503 with Retry-After)."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        offline: bool = False,
        retry_after: float | None = None,
    ) -> None:
        self.url = clean_url(url)
        self.reason = clean_line(reason)
        self.status = status
        self.offline = offline
        self.retry_after = retry_after
        super().__init__(str(self))

    def __str__(self) -> str:
        verb = "reach" if self.offline else "fetch"
        return f"Could not {verb} {self.url}: {self.reason}"


@dataclass(frozen=True)
class Validators:
    """What a server said about a resource's version, to send back on the next request."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


@dataclass(frozen=True)
class Response:
    """A successful answer: the body already decoded, or a 304 meaning "unchanged"."""

    url: str
    """The final URL, after redirects."""
    status: int
    headers: dict[str, str]
    """Response headers with lower-cased names; repeated headers joined with ", "."""
    content: bytes
    """The decoded (gunzipped) body; empty for 304."""
    validators: Validators
    """The validators of this response, or the ones that were sent when the answer is 304."""

    @property
    def not_modified(self) -> bool:
        """True for a 304: the resource is unchanged (not empty)."""
        return self.status == 304


class _BodyTooLarge(Exception):
    pass


class _BodyCutShort(Exception):
    pass


class _BadEncoding(Exception):
    pass


class _BodyDecoder:
    """Decodes a body as it streams in, refusing to produce more than ``limit`` bytes.

    httpx's own decoders inflate each network chunk without a bound, so one 16 KB chunk of a
    gzip bomb can expand to gigabytes before any size check could run. Here zlib is asked for at
    most ``_INFLATE_STEP`` bytes at a time and the total is checked after every step.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self._encoding = encoding
        self._limit = limit
        self._out = bytearray()
        self._zlib: Any = None
        self._pending = b""
        self._done = False
        self._started = False
        if encoding == "gzip":
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> None:
        """Take the next raw chunk."""
        if not data:
            return
        self._started = True
        if self._encoding == "identity":
            self._append(data)
            return
        if self._zlib is None:
            # "deflate" should be zlib-wrapped, but some servers send a raw deflate stream;
            # the first two bytes tell them apart (RFC 1950 header check).
            self._pending += data
            if len(self._pending) < 2:
                return
            data, self._pending = self._pending, b""
            wrapped = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        self._inflate(data)

    def finish(self) -> bytes:
        """Return the decoded body once the raw stream has ended."""
        if self._encoding != "identity" and self._started:
            if self._zlib is None:
                raise _BodyCutShort
            if not self._done:
                try:
                    self._append(self._zlib.flush())
                except zlib.error as exc:
                    raise _BadEncoding(str(exc)) from exc
                if not self._zlib.eof:
                    raise _BodyCutShort
        return bytes(self._out)

    def _inflate(self, data: bytes) -> None:
        while data and not self._done:
            room = self._limit - len(self._out) + 1
            try:
                self._append(self._zlib.decompress(data, min(room, _INFLATE_STEP)))
            except zlib.error as exc:
                raise _BadEncoding(str(exc)) from exc
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                rest = self._zlib.unused_data + data
                if self._encoding == "gzip" and rest.startswith(b"\x1f\x8b"):
                    # A gzip body may hold several members back to back (RFC 1952).
                    self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    data = rest
                else:
                    # Trailing bytes after the end of the stream are ignored, as browsers do.
                    self._done = True

    def _append(self, chunk: bytes) -> None:
        self._out += chunk
        if len(self._out) > self._limit:
            raise _BodyTooLarge


def decode_json(content: bytes) -> Any:
    """``json.loads(content)``, by msgspec where it can: the REST API's pages of 100 posts
    (~700 KB each) took 30 ms to decode in a cold sync of 1,000 posts, now 17 ms.

    msgspec reads strict RFC 8259 UTF-8 only, integers of any size exactly (orjson, as fast,
    makes a float of an integer past 64 bits); whatever it refuses (NaN, a byte order mark,
    UTF-16, lone surrogates, bad JSON) goes to ``json.loads``, so the answer, or the error, is
    the standard library's.
    """
    fast = _fast_json()
    if fast is not None:
        decode, refused = fast
        try:
            return decode(content)
        except refused:
            pass
    return json.loads(content)


@functools.cache
def _fast_json() -> tuple[Callable[[bytes], Any], type[Exception]] | None:
    """msgspec's decoder and the error it raises; imported at the first JSON (a sync that
    decodes none, one answered 304, never pays for it), None where it is not installed (an
    environment made before it was a dependency: json alone, as before)."""
    try:
        import msgspec
    except ImportError:
        return None
    return msgspec.json.Decoder().decode, msgspec.DecodeError


class Fetcher:
    """Fetches URLs for the reader; use as ``async with Fetcher() as fetcher``."""

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        deadline: float = 20.0,
        connect_timeout: float = 5.0,
        max_bytes: int = 20 * 2**20,
        max_redirects: int = 5,
        per_host: int = 4,
        retries: int = 2,
        max_retry_wait: float = 30.0,
        check_address: Callable[[str], Awaitable[str | None]] | None = None,
    ) -> None:
        self.deadline = deadline
        self.connect_timeout = connect_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.per_host = per_host
        self.retries = retries
        self.max_retry_wait = max_retry_wait
        self.check_address = check_address
        """Awaited with each address before it is requested, redirects included; raises
        :class:`FetchError` to refuse it (pictures use it to keep off private networks). It
        may return the network address it approved, which the request then connects to
        instead of resolving the host name again (see ``reader.core.addresses``)."""
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._connections = Connections()
        self._client = httpx.AsyncClient(
            # TLS is set up at the first https request, not here (see reader.core.connections).
            transport=self._connections,
            headers={
                "User-Agent": user_agent,
                # Only what _BodyDecoder can bound; httpx would otherwise also offer br/zstd.
                "Accept-Encoding": "gzip, deflate",
            },
            follow_redirects=False,
            event_hooks={"response": [_hide_location]},
            # Per-phase timeouts are a backstop only; the real limit is the overall deadline.
            timeout=httpx.Timeout(deadline, connect=min(connect_timeout, deadline)),
        )

    async def __aenter__(self) -> Self:
        return self

    @property
    def tls_ready(self) -> bool:
        """True once an https request has set up TLS (and read the CA bundle)."""
        return self._connections.tls_ready

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the shared client and its connections."""
        await self._client.aclose()

    async def get(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        accept: str = "*/*",
        check_address: Callable[[str], Awaitable[str | None]] | None = None,
    ) -> Response:
        """GET ``url`` within the deadline; raises :class:`FetchError` on any failure.

        ``check_address`` is awaited before each hop of this request (as the fetcher's own is
        before every request's), and may refuse it by raising :class:`FetchError`, or return
        the address the hop must connect to.
        """
        _check_scheme(url, url)
        headers = {"Accept": accept}
        if validators is not None:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        started = time.monotonic()
        ends_at = started + self.deadline
        try:
            async with asyncio.timeout(self.deadline):
                response = await self._follow(
                    url, headers, validators or Validators(), ends_at, check_address
                )
        except TimeoutError:
            error = FetchError(url, f"timed out after {self.deadline:g} s")
            _log.info("GET %s: %s", error.url, error.reason)
            raise error from None
        except FetchError as error:
            _log.info(
                "GET %s after %.2f s: %s", error.url, time.monotonic() - started, error.reason
            )
            raise
        _log.debug(
            "GET %s: %d, %d bytes in %.2f s",
            clean_url(response.url),
            response.status,
            len(response.content),
            time.monotonic() - started,
        )
        return response

    async def get_json(self, url: str) -> tuple[Any, dict[str, str]]:
        """GET ``url`` and parse it as JSON; returns the data and the response headers."""
        response = await self.get(url, accept="application/json")
        try:
            return decode_json(response.content), response.headers
        except (ValueError, UnicodeDecodeError):
            raise FetchError(url, "the answer was not valid JSON") from None
        except RecursionError:
            # msgspec and json alike stop at their depth (a hostile [[[[...).
            raise FetchError(url, "the answer was not valid JSON (nested too deeply)") from None

    async def _follow(
        self,
        url: str,
        headers: dict[str, str],
        sent: Validators,
        ends_at: float,
        check_address: Callable[[str], Awaitable[str | None]] | None = None,
    ) -> Response:
        seen = {url}
        current = url
        checks = [c for c in (self.check_address, check_address) if c is not None]
        for _hop in range(self.max_redirects + 1):
            try:
                pinned: str | None = None
                for check in checks:
                    pinned = await check(current) or pinned
                status, response_headers, content = await self._retrying(
                    url, current, headers, ends_at, pinned
                )
            except FetchError as error:
                if current == url:
                    raise
                # The first server answered: the trouble is where it sent us, so name that
                # address, and the network is not "offline".
                raise FetchError(
                    url,
                    f"{error.reason} at {clean_url(current)}, where it redirects",
                    status=error.status,
                ) from None
            if status in _REDIRECTS:
                location = response_headers.get(_LOCATION, "")
                if not location:
                    raise FetchError(url, _status_reason(status) + " without a Location")
                try:
                    target = urljoin(current, location.strip())
                except ValueError:
                    raise FetchError(url, "redirected to a malformed address") from None
                _check_scheme(url, target, redirected=True)
                if target in seen:
                    raise FetchError(url, f"redirect loop (back to {clean_url(target)})")
                seen.add(target)
                current = target
                continue
            if status == 304 and not sent:
                # Nothing was asked conditionally, so "unchanged" means nothing: a feed never
                # fetched must not be reported as up to date.
                raise FetchError(
                    url,
                    "server answered 304 Not Modified to a request that was not conditional",
                    status=304,
                )
            if status == 304:
                return Response(
                    current,
                    304,
                    response_headers,
                    b"",
                    _validators_of(response_headers, fallback=sent),
                )
            if 200 <= status < 300:
                return Response(
                    current,
                    status,
                    response_headers,
                    content,
                    _validators_of(response_headers, fallback=Validators()),
                )
            reason = _status_reason(status, current, url)
            if status == 407:
                # Only a proxy answers 407: the site was never reached.
                reason = self._through(
                    current,
                    "the proxy asks for a user name and password (407); they go in the "
                    "setting, as http://user:password@host:port",
                )
            retry_after = None
            if status in _RETRYABLE and "retry-after" in response_headers:
                retry_after = _asked_wait(response_headers["retry-after"])
                if retry_after is not None and retry_after >= _WORTH_SAYING:
                    reason += f"; it asks to wait {_duration(retry_after)} before asking again"
            raise FetchError(url, reason, status=status, retry_after=retry_after)
        raise FetchError(url, f"too many redirects (more than {self.max_redirects})")

    async def _retrying(
        self,
        url: str,
        current: str,
        headers: dict[str, str],
        ends_at: float,
        pinned: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        for attempt in range(self.retries + 1):
            status, response_headers, content = await self._once(url, current, headers, pinned)
            if status not in _RETRYABLE or attempt == self.retries:
                return status, response_headers, content
            wait = _retry_wait(response_headers.get("retry-after"), attempt)
            wait = min(wait, self.max_retry_wait)
            if time.monotonic() + wait >= ends_at:
                # Sleeping past the deadline would only turn a clear "429, wait a day" (or
                # "503") into "timed out".
                break
            await asyncio.sleep(wait)
        return status, response_headers, content

    async def _once(
        self, url: str, current: str, headers: dict[str, str], pinned: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One request without redirects or retries, holding the host's semaphore; to the
        ``pinned`` network address when one is given, with the host's name kept in the Host
        header and, for https, in TLS's server name (so the certificate is checked for it)."""
        async with self._host_slot(current):
            try:
                if pinned is not None and self._proxied(current):
                    # Through a proxy the proxy resolves the name and connects; an address
                    # pinned here would reach it only as a host name of its own (and break
                    # https's server name). The address check still judged the name
                    # (reader.core.addresses).
                    pinned = None
                if pinned is None:
                    request = self._client.build_request("GET", current, headers=headers)
                else:
                    request = _pinned_request(self._client, current, headers, pinned)
            except (httpx.InvalidURL, ValueError) as exc:
                raise FetchError(url, f"malformed address ({exc})") from None
            phase = "headers"
            try:
                response = await self._client.send(request, stream=True)
                try:
                    phase = "body"
                    status = response.status_code
                    response_headers = _header_dict(response.headers)
                    if status in _REDIRECTS or status in _RETRYABLE or status == 304:
                        return status, response_headers, b""
                    if not 200 <= status < 300:
                        return status, response_headers, b""
                    content = await self._read_body(url, response, response_headers)
                    return status, response_headers, content
                finally:
                    await response.aclose()
            except httpx.InvalidURL as exc:
                raise FetchError(url, f"malformed address ({exc})") from None
            except httpx.HTTPError as exc:
                reason, offline = _describe(exc, phase, self.connect_timeout, self.deadline)
                raise FetchError(url, self._through(current, reason), offline=offline) from None
            except FetchError:
                raise
            except Exception as exc:
                # OSError straight from the socket layer, or anything else a strange server
                # provokes inside httpx/anyio: still one line for the user, never a traceback.
                reason, offline = _describe(exc, phase, self.connect_timeout, self.deadline)
                raise FetchError(url, self._through(current, reason), offline=offline) from None

    async def _read_body(
        self, url: str, response: httpx.Response, headers: dict[str, str]
    ) -> bytes:
        too_large = f"body larger than {_size(self.max_bytes)}"
        declared = headers.get("content-length", "").strip()
        # Any run of digits too long for small_number is larger than any cap.
        if (
            declared.isascii()
            and declared.isdigit()
            and (len(declared) > MOST_DIGITS or int(declared) > self.max_bytes)
        ):
            raise FetchError(url, too_large)
        encodings = [
            part.strip().lower()
            for part in headers.get("content-encoding", "").split(",")
            if part.strip() and part.strip().lower() != "identity"
        ]
        if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(url, f"unsupported content encoding {', '.join(encodings)}")
        encoding = {"x-gzip": "gzip"}.get(encodings[0], encodings[0]) if encodings else "identity"
        decoder = _BodyDecoder(encoding, self.max_bytes)
        # Raw bytes are bounded too, so an endless stream of ignorable bytes cannot run forever.
        raw_limit = self.max_bytes + max(self.max_bytes // 16, 64 * 1024)
        raw_total = 0
        try:
            async for chunk in response.aiter_raw():
                raw_total += len(chunk)
                if raw_total > raw_limit:
                    raise _BodyTooLarge
                decoder.feed(chunk)
            return decoder.finish()
        except _BodyTooLarge:
            raise FetchError(url, too_large) from None
        except _BodyCutShort:
            raise FetchError(url, "response was cut short") from None
        except _BadEncoding:
            raise FetchError(
                url, f"body could not be decompressed ({encoding} data is corrupt)"
            ) from None

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        # The netloc, not .hostname/.port: an invalid port must fail in httpx, with a message.
        key = urlsplit(url).netloc.lower()
        slot = self._hosts.get(key)
        if slot is None:
            slot = self._hosts[key] = asyncio.Semaphore(self.per_host)
        return slot

    def _proxy_of(self, url: str) -> str | None:
        proxies = self._connections.proxies
        if not proxies:
            return None
        target = httpx.URL(url)
        return proxies.for_url(target.scheme, target.host, target.port)

    def _proxied(self, url: str) -> bool:
        return self._proxy_of(url) is not None

    def _through(self, url: str, reason: str) -> str:
        """``reason``, saying which proxy the request went through: "connection refused"
        alone would send the user to look at the site, when it is the proxy that refused."""
        try:
            proxy = self._proxy_of(url)
        except (httpx.InvalidURL, ValueError):
            return reason
        if proxy is None:
            return reason
        return f"{reason}, through the proxy {clean_url(shown(proxy))}"


def _pinned_request(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], address: str
) -> httpx.Request:
    """A GET of ``url`` sent to ``address``: the URL's host replaced by the address, its name
    in the Host header and, for https, as the TLS server name the certificate must match."""
    named = httpx.URL(url)
    extensions = {"sni_hostname": named.host} if named.scheme == "https" else {}
    return client.build_request(
        "GET",
        named.copy_with(host=address),
        headers={**headers, "Host": named.netloc.decode("ascii")},
        extensions=extensions,
    )


async def _hide_location(response: httpx.Response) -> None:
    """Move ``Location`` out of httpx's sight; :meth:`Fetcher._follow` reads it instead.

    Even with ``follow_redirects=False`` httpx builds the next request from ``Location`` and
    raises on one it cannot parse (``javascript:``, ``data:``), discarding the response
    (encode/httpx discussion #3179, PR #3706). Hidden, every redirect reaches our own checks.
    """
    location = response.headers.get("location")
    if location is not None:
        del response.headers["location"]
        response.headers[_LOCATION] = location


def _check_scheme(url: str, target: str, *, redirected: bool = False) -> None:
    try:
        parts = urlsplit(target)
        _ = parts.port  # raises for a port that is not a number or out of range
    except ValueError:
        raise FetchError(url, "malformed address") from None
    scheme = parts.scheme.lower()
    if scheme in _SCHEMES and parts.hostname:
        return
    if redirected:
        raise FetchError(url, f"redirected to {clean_url(target)}, which is not an http(s) address")
    if scheme in _SCHEMES:
        raise FetchError(url, "the address has no host")
    raise FetchError(url, "only http and https addresses can be fetched")


def _header_dict(headers: httpx.Headers) -> dict[str, str]:
    result: dict[str, str] = {}
    for name, value in headers.multi_items():
        key = name.lower()
        result[key] = f"{result[key]}, {value}" if key in result else value
    return result


def _validator(value: str | None) -> str | None:
    if not value or len(value) > _MAX_VALIDATOR:
        return None
    if not value.isascii() or not value.isprintable():
        return None
    return value


def _validators_of(headers: dict[str, str], *, fallback: Validators) -> Validators:
    etag = _validator(headers.get("etag"))
    last_modified = _validator(headers.get("last-modified"))
    if etag is None and last_modified is None:
        return fallback
    return Validators(etag=etag, last_modified=last_modified)


def _retry_wait(header: str | None, attempt: int) -> float:
    """Seconds to wait before retrying: the server's ``Retry-After``, else exponential backoff."""
    asked = _asked_wait(header)
    return 0.5 * 2.0**attempt if asked is None else asked


def _asked_wait(header: str | None) -> float | None:
    """The seconds a ``Retry-After`` header asks for, or None when it names no usable time."""
    if not header:
        return None
    header = header.strip()
    # ASCII digits only: "²" (a Latin-1 byte a header may carry) passes isdigit() and float()
    # raised on it, out of the fetch as a ValueError; "١٢" is no delay-seconds either.
    if header.isascii() and header.isdigit():
        # A 400-digit number is a number too: more than a year is as good as forever.
        return float(header) if len(header) < 10 else float(366 * 86400)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _duration(seconds: float) -> str:
    """A wait as people say it: "30 seconds", "5 minutes", "24 hours", "3 days"."""
    if seconds < 90:
        count, unit = round(seconds), "second"
    elif seconds < 90 * 60:
        count, unit = round(seconds / 60), "minute"
    elif seconds < 48 * 3600:
        count, unit = round(seconds / 3600), "hour"
    else:
        count, unit = round(seconds / 86400), "day"
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _status_reason(status: int, current: str = "", url: str = "") -> str:
    try:
        # The standard phrase, not the server's: a reason phrase is untrusted, free-form text.
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "(unknown status)"
    reason = f"server answered {status} {phrase}"
    if current and current != url:
        reason += f" at {clean_url(current)}"
    return reason


def _size(count: int) -> str:
    if count >= 2**20 and count % 2**20 == 0:
        return f"{count // 2**20} MB"
    if count >= 1024 and count % 1024 == 0:
        return f"{count // 1024} KB"
    return f"{count} bytes"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, and the members of exception groups."""
    stack = [exc]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)


_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN}


def _describe(
    exc: BaseException, phase: str, connect_timeout: float, deadline: float
) -> tuple[str, bool]:
    """Turn a transport failure into (one-line reason, offline?)."""
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return "name not found (DNS)", True
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused", True
        if isinstance(cause, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
            return "connection reset", False
        if isinstance(cause, ssl.SSLError):
            return f"secure connection failed ({cause.reason or 'TLS error'})", False
        if isinstance(cause, OSError) and cause.errno in _UNREACHABLE:
            return "network unreachable", True
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection within {connect_timeout:g} s", True
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {deadline:g} s", False
    if isinstance(exc, httpx.RemoteProtocolError):
        if any("buffer too long" in str(cause) for cause in _causes(exc)):
            # h11 (through httpcore) stops reading a head of more than 100 KB.
            return "the server's response headers were too long (more than 100 KB)", False
        if phase == "body":
            return "response was cut short", False
        return "the server closed the connection without answering", False
    if isinstance(exc, httpx.ConnectError):
        return "could not connect", True
    if isinstance(exc, httpx.ProtocolError):
        return "the server's answer was not valid HTTP", False
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return message, False
