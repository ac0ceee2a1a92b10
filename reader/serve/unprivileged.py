"""Run a Python program as an unprivileged account: ``python -I -m reader.serve.unprivileged``.

A server started as root starts each reader through this module:
``UID GID -- (-m MODULE | -c CODE) ARGS...``. It gives up root *inside* the new process, before
importing anything else, and then runs the reader in the same process. Dropping privileges after
``exec`` (rather than in the parent between fork and exec) matters: the kernel marks a process
whose credentials changed as undumpable, so other readers running as the same account cannot
read its ``/proc`` entries (its folder, environment, memory) or attach a debugger to it. An
``exec`` would make it dumpable again, so there is none.

The server runs this with ``-I`` (isolated mode): Python ignores ``PYTHON*`` variables, the
user's site-packages and the current folder, all of which the reader could otherwise use to
plant code that root would run at the next login.
"""

from __future__ import annotations

import os
import runpy
import sys

USAGE = "usage: python -I -m reader.serve.unprivileged UID GID -- (-m MODULE | -c CODE) ARGS..."


def drop_privileges(uid: int, gid: int) -> None:
    """Become ``uid``/``gid`` for good, with no supplementary groups; fail loudly otherwise."""
    if uid == 0 or gid == 0:
        raise SystemExit("reader.serve.unprivileged: refusing to run as root")
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid or os.getegid() != gid or os.getgroups():
        raise SystemExit("reader.serve.unprivileged: could not give up root")
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise SystemExit("reader.serve.unprivileged: root could be regained")


def main(argv: list[str]) -> None:
    """Drop to the account named by ``argv``, then run the program it names."""
    try:
        uid, gid = int(argv[0]), int(argv[1])
        separator = argv[2]
        kind, target, *rest = argv[3:]
    except (ValueError, IndexError):
        raise SystemExit(USAGE) from None
    if separator != "--" or kind not in {"-m", "-c"}:
        raise SystemExit(USAGE)
    drop_privileges(uid, gid)
    os.umask(0o077)
    if kind == "-m":
        sys.argv = [target, *rest]
        runpy.run_module(target, run_name="__main__", alter_sys=True)
    else:
        sys.argv = ["-c", *rest]
        exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})


if __name__ == "__main__":
    main(sys.argv[1:])
