"""Numbers typed on the command line: the digits 0-9 only, read by one check for every command.

``str.isdigit()`` is True for "²" (which ``int()`` refuses with a ValueError) and ``int()`` and
``float()`` take other scripts' digits ("١٢" is 12), so a typo or a pasted superscript would be a
traceback or a number nobody typed. Every command's numbers go through
:func:`reader.core.digits.small_number`, the check the reader uses for numbers from the network.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from reader.command_error import CommandError
from reader.core.digits import small_number

#: Seconds or minutes: digits 0-9, with at most one decimal point among them.
_AMOUNT = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,9})?|\.[0-9]{1,9}", re.ASCII)

_NOT_DIGITS = "{text!r} is not a number: write it in the digits 0-9"


def post_id(spec: str) -> int | None:
    """The post id ``spec`` gives, or None when it is no number (an address, say).

    Raises CommandError when ``spec`` is digits that are no id: other scripts' ("١٢", "²"), or
    more than an id can have.
    """
    number = small_number(spec)
    if number is not None:
        return number
    if not spec.isdigit():
        return None
    if spec.isascii():
        raise CommandError(f"no stored post is {spec!r}; 'reader list' shows what is stored")
    raise CommandError(_NOT_DIGITS.format(text=spec) + " ('reader list' shows the ids)")


def whole_number(lowest: int) -> Callable[[str], int]:
    """An argparse type: a whole number in the digits 0-9, no smaller than ``lowest``."""

    def number(text: str) -> int:
        typed = text.strip()
        value = small_number(typed.removeprefix("-"))
        if value is None:
            raise argparse.ArgumentTypeError(_NOT_DIGITS.format(text=text))
        if typed.startswith("-"):
            value = -value
        if value < lowest:
            raise argparse.ArgumentTypeError(f"{value} is too small; the least is {lowest}")
        return value

    return number


def amount(text: str) -> float:
    """An argparse type: a number of seconds or minutes, 0-9 and at most one decimal point.

    float() would also take "nan", "inf", "1e400" and other scripts' digits.
    """
    if not _AMOUNT.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(_NOT_DIGITS.format(text=text))
    return float(text)
