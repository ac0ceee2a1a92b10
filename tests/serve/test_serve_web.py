"""`reader serve web`: the command line, and the real server answering only at its secret address.

The server is the real ``reader serve web`` command on a loopback port; the client is aiohttp's
(a browser's view is in test_web_chromium.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from reader.core.own_python import module_command
from reader.serve import SERVE_FAILED
from reader.serve import web as serve_web
from reader.serve.web_server import allowed_hosts
from tests.support.web_server import served_web, served_web_process

pytestmark = pytest.mark.timeout(90)


def serve_parser() -> argparse.ArgumentParser:
    """The shape the reader's command line gives it: ``reader [--data-dir] serve web ...``."""
    parser = argparse.ArgumentParser(prog="reader")
    parser.add_argument("--data-dir")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve").add_subparsers(dest="server")
    serve_web.add_arguments(serve.add_parser("web"))
    return parser


def test_defaults_serve_the_reader_on_loopback_at_a_secret_address() -> None:
    server = serve_web.build_server(serve_parser().parse_args(["serve", "web"]))
    assert (server.host, server.port) == ("127.0.0.1", 8000)
    assert server.public_url == "http://127.0.0.1:8000"
    assert shlex.split(server.command) == module_command("reader")
    assert server.options.max_sessions == 4 and server.options.idle_timeout == 3600
    assert len(server.token) >= 40
    assert server.address == f"http://127.0.0.1:8000/{server.token}/"
    # Each start has its own secret.
    assert serve_web.build_server(serve_parser().parse_args(["serve", "web"])).token != (
        server.token
    )


def test_reader_args_and_data_dir_reach_the_command() -> None:
    args = serve_parser().parse_args(
        ["--data-dir", "/srv/my reader", "serve", "web", "--host", "0.0.0.0", "--port", "9000",
         "--public-url", "https://news.example.org", "--max-sessions", "2", "--idle-timeout",
         "5", "--", "--site", "https://x.example/?a=1&b"]
    )  # fmt: skip
    server = serve_web.build_server(args)
    assert (server.host, server.port) == ("0.0.0.0", 9000)
    assert server.public_url == "https://news.example.org"
    assert server.options.max_sessions == 2 and server.options.idle_timeout == 300
    # The command goes through a shell: spaces and "&" must arrive as they were typed.
    assert shlex.split(server.command) == [
        *module_command("reader"), "--data-dir", "/srv/my reader",
        "--site", "https://x.example/?a=1&b",
    ]  # fmt: skip


def test_the_command_runs_this_reader_whatever_the_working_folder(tmp_path: Path) -> None:
    # "python -m reader" put the working folder first on the path: a server started in another
    # checkout (or beside a reader.py) gave every tab that code.
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "reader").mkdir(parents=True)
    (elsewhere / "reader" / "__init__.py").write_text("raise SystemExit('not this reader')\n")
    (elsewhere / "reader" / "__main__.py").write_text("raise SystemExit('not this reader')\n")
    args = serve_parser().parse_args(["serve", "web", "--", "config", "path"])
    command = serve_web.build_server(args).command
    ran = subprocess.run(
        command, shell=True, cwd=elsewhere, capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0 and "not this reader" not in ran.stderr, ran.stderr
    assert ran.stdout.strip().endswith("config.toml")


def test_every_address_needs_a_public_url() -> None:
    with pytest.raises(ValueError, match="--public-url"):
        serve_web.build_server(serve_parser().parse_args(["serve", "web", "--host", "0.0.0.0"]))
    assert allowed_hosts("https://news.example.org") == {"news.example.org"}
    assert allowed_hosts("http://127.0.0.1:8000") == {
        "127.0.0.1:8000",
        "localhost:8000",
        "[::1]:8000",
    }


def test_missing_extra_is_explained(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.setitem(sys.modules, "reader.serve.web_server", None)
    assert serve_web.run(serve_parser().parse_args(["serve", "web"])) == SERVE_FAILED
    # One prefix, naming the command once.
    assert capsys.readouterr().err == (
        "reader serve web: the 'web' extra is not installed: pip install 'stemcell-reader[web]'\n"
    )


@pytest.mark.parametrize("words", [["--port", "70000"], ["--max-sessions", "0"]])
def test_bad_options_are_refused(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_web.run(serve_parser().parse_args(["serve", "web", *words])) == SERVE_FAILED
    assert words[0] in capsys.readouterr().err


async def _status(session: aiohttp.ClientSession, url: str, **headers: str) -> int:
    async with session.get(url, headers=headers, allow_redirects=False) as response:
        return response.status


async def test_only_the_secret_address_answers_and_only_to_its_own_host(tmp_path: Path) -> None:
    with served_web(tmp_path / "data") as address:
        root = address.rsplit("/", 2)[0]
        token = address.rstrip("/").rsplit("/", 1)[1]
        port = urlsplit(address).port
        async with aiohttp.ClientSession() as session:
            async with session.get(address) as page:
                assert page.status == 200
                text = await page.text()
                assert page.headers["Server"] == "reader"
                assert page.headers["Referrer-Policy"] == "no-referrer"
                assert "default-src 'none'" in page.headers["Content-Security-Policy"]
            # Everything the page loads is served here, under the secret.
            for path in ("static/js/textual.js", "static/css/xterm.css", "reader/icon.svg",
                         "reader/page.css", "reader/page.js",
                         "static/fonts/RobotoMono-VariableFont_wght.ttf"):  # fmt: skip
                assert f"{token}/" in address and await _status(session, address + path) == 200
                assert path.split("/")[-1] in text or path.endswith(".ttf")
            assert "googleapis" not in text and "https://" not in text
            for refused in (
                root + "/",
                root + "/static/js/textual.js",
                root + "/ws",
                root + "/favicon.ico",
                address.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B")),
            ):
                assert await _status(session, refused) == 403, refused
            # A DNS-rebinding page reaches this port under its own name: refused.
            assert await _status(session, address, Host=f"rebind.example:{port}") == 403
            assert await _status(session, address.replace("127.0.0.1", "localhost")) == 200


async def test_websockets_need_the_served_origin_and_tabs_are_bounded(tmp_path: Path) -> None:
    with served_web(tmp_path / "data", "--max-sessions", "1") as address:
        ws_url = "ws" + address[4:] + "ws"
        origin = address.split("/", 3)
        own = f"{origin[0]}//{origin[2]}"
        async with aiohttp.ClientSession() as session:
            for foreign in ("http://evil.example", "null", "", own.replace("http:", "https:")):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(ws_url, headers={"Origin": foreign} if foreign else {})
                assert refused.value.status == 403
            async with session.ws_connect(ws_url, headers={"Origin": own}) as tab:
                await tab.send_str(json.dumps(["ping", "hello"]))
                pong = await asyncio.wait_for(_next_json(tab, "pong"), 30)
                assert pong == ["pong", "hello"]
                # One tab is all this server takes: the page and a second socket say so.
                with pytest.raises(aiohttp.WSServerHandshakeError) as full:
                    await session.ws_connect(ws_url, headers={"Origin": own})
                assert full.value.status == 503
                assert await _status(session, address) == 503


async def test_an_idle_tab_is_closed(tmp_path: Path) -> None:
    with served_web(tmp_path / "data", "--idle-timeout", "0.02") as address:
        ws_url = "ws" + address[4:] + "ws"
        own = "/".join(address.split("/", 3)[:3])
        async with aiohttp.ClientSession() as session:
            tab = await session.ws_connect(ws_url, headers={"Origin": own})

            # The reader draws, nobody types; about a second later the server hangs up.
            async def until_closed() -> None:
                async for _message in tab:
                    pass

            await asyncio.wait_for(until_closed(), 30)
            assert tab.closed


async def test_sigterm_closes_every_tab_and_the_server_exits(tmp_path: Path) -> None:
    # The server used to leave each tab's websocket open on SIGTERM or ctrl+c: aiohttp's
    # shutdown then waited on it (a heartbeat's failure, or its 60 s timeout) before exiting.
    with served_web_process(tmp_path / "data") as (address, server):
        ws_url = "ws" + address[4:] + "ws"
        own = "/".join(address.split("/", 3)[:3])
        async with aiohttp.ClientSession() as session:
            tab = await session.ws_connect(ws_url, headers={"Origin": own})
            drawn = await asyncio.wait_for(tab.receive(), 30)  # its reader is running
            assert drawn.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
            os.kill(server.pid, signal.SIGTERM)  # the server alone, as a service manager does

            async def until_closed() -> None:
                async for _message in tab:
                    pass

            # A bound to fail on, far below aiohttp's 60 s; not a measure of speed.
            await asyncio.wait_for(until_closed(), 30)
            assert tab.close_code == aiohttp.WSCloseCode.GOING_AWAY
        assert await asyncio.to_thread(server.wait, 30) == 0


async def _next_json(tab: aiohttp.ClientWebSocketResponse, kind: str) -> object:
    async for message in tab:
        if message.type == aiohttp.WSMsgType.TEXT:
            data = json.loads(message.data)
            if data[0] == kind:
                return data
    raise AssertionError(f"the tab closed before {kind!r}")
