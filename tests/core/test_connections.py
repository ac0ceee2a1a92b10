"""The fetcher's connections: TLS set up at the first https request, still verifying every
certificate; and no search for an absent sniffio on each request.

A real TLS server on 127.0.0.1, with certificates made here: one nobody signed, one trusted
through ``SSL_CERT_FILE`` (as httpx's default context reads it), one for another host name.
"""

from __future__ import annotations

import datetime
import importlib.abc
import importlib.machinery
import importlib.util
import ipaddress
import ssl
import sys
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from reader.core.fetch import Fetcher, FetchError
from tests.support.hostile_server import hostile_server, hostile_server_instance

__all__ = ["hostile_server", "hostile_server_instance"]

pytestmark = pytest.mark.timeout(30)

BODY = b"<rss version='2.0'><channel><title>over TLS</title></channel></rss>"


def _certificate(folder: Path, name: x509.GeneralName) -> tuple[Path, Path]:
    """A self-signed certificate for ``name`` and its key, as PEM files in ``folder``."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "reader test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([name]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class _Answer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _TLSServer(ThreadingHTTPServer):
    """Answers every GET with :data:`BODY` over TLS; the handshake runs in the handler thread."""

    daemon_threads = True

    def __init__(
        self, context: ssl.SSLContext, handler: type[BaseHTTPRequestHandler] = _Answer
    ) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self._context = context

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        return self._context.wrap_socket(
            sock, server_side=True, do_handshake_on_connect=False
        ), address

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client refusing the certificate is what some tests want


class _KeepAlive(_Answer):
    """Keeps the connection open between requests, so a client may reuse it."""

    protocol_version = "HTTP/1.1"


def _serve(
    tmp_path: Path, name: x509.GeneralName, handler: type[BaseHTTPRequestHandler] = _Answer
) -> Iterator[tuple[str, Path]]:
    cert_file, key_file = _certificate(tmp_path, name)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server = _TLSServer(context, handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/feed", cert_file
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An https address on 127.0.0.1 whose certificate names 127.0.0.1, and that certificate."""
    yield from _serve(tmp_path, x509.IPAddress(ipaddress.ip_address("127.0.0.1")))


@pytest.fixture
def tls_site_of_another_name(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An https address on 127.0.0.1 whose certificate names only ``elsewhere.invalid``."""
    yield from _serve(tmp_path, x509.DNSName("elsewhere.invalid"))


async def test_a_certificate_nobody_signed_is_refused(
    tls_site: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    url, _ = tls_site
    async with Fetcher() as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.get(url)
        assert fetcher.tls_ready
    assert "secure connection failed" in caught.value.reason
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.reason


async def test_a_certificate_the_environment_trusts_is_accepted(
    tls_site: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert_file = tls_site
    # Read when TLS is set up, as httpx's default context always read it: at the first https
    # request now, so after the fetcher was made.
    async with Fetcher() as fetcher:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
        response = await fetcher.get(url)
    assert response.status == 200
    assert response.content == BODY


async def test_a_trusted_certificate_for_another_host_is_refused(
    tls_site_of_another_name: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert_file = tls_site_of_another_name
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    async with Fetcher() as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.get(url)
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.reason


@pytest.fixture
def tls_site_of_a_name(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An https address on 127.0.0.1 whose certificate names only ``pictures.test``, and
    which keeps connections open."""
    yield from _serve(tmp_path, x509.DNSName("pictures.test"), _KeepAlive)


async def _to_loopback(url: str) -> str:
    """A check that approves every address and pins it to 127.0.0.1."""
    return "127.0.0.1"


async def test_a_pinned_request_checks_the_certificate_for_its_name(
    tls_site_of_a_name: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert_file = tls_site_of_a_name
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    port = url.split(":")[2].split("/")[0]
    async with Fetcher() as fetcher:
        named = await fetcher.get(f"https://pictures.test:{port}/feed", check_address=_to_loopback)
        assert named.content == BODY
        # Another name on the same address: its own connection, and the certificate (which
        # names pictures.test only) refused, though a connection to the address is open.
        with pytest.raises(FetchError) as caught:
            await fetcher.get(f"https://other.test:{port}/feed", check_address=_to_loopback)
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.reason


async def test_plain_http_sets_up_no_tls(
    hostile_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_tls(*args: object, **kwargs: object) -> ssl.SSLContext:
        raise AssertionError("a TLS context with the CA bundle was made for plain http")

    monkeypatch.setattr(ssl, "create_default_context", no_tls)
    async with Fetcher() as fetcher:
        response = await fetcher.get(hostile_server + "/feed")
        assert not fetcher.tls_ready
    assert response.status == 200


async def test_requests_do_not_search_for_an_absent_sniffio(
    hostile_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.modules.get("sniffio") is not None or (
        "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is not None
    ):
        pytest.skip("sniffio is installed here: httpcore finds it once")
    searched: list[str] = []

    class Watch(importlib.abc.MetaPathFinder):
        def find_spec(
            self, fullname: str, path: Sequence[str] | None, target: object = None
        ) -> importlib.machinery.ModuleSpec | None:
            if fullname == "sniffio":
                searched.append(fullname)
            return None

    monkeypatch.setattr(sys, "meta_path", [Watch(), *sys.meta_path])
    async with Fetcher() as fetcher:
        for _ in range(3):
            assert (await fetcher.get(hostile_server + "/feed")).status == 200
    assert searched == []
