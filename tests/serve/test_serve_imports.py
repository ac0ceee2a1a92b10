"""`reader serve --help` stays cheap: the servers' libraries load only when a server starts."""

from __future__ import annotations

import ast
import subprocess
import sys


def test_building_the_serve_command_line_loads_no_server_library() -> None:
    code = (
        "import sys\n"
        "from reader.cli import build_parser\n"
        "build_parser(serving=True).parse_args(['serve', 'ssh', '--port', '2222'])\n"
        "print(sorted({name.split('.')[0] for name in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(out.stdout))
    assert not loaded & {"asyncssh", "asyncio", "aiohttp", "textual_serve", "textual", "rich"}
