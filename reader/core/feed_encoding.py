"""A feed's character encoding when the server's word for it is wrong.

feedparser trusts the charset of the Content-Type header over the document itself, so a UTF-16
feed served as ``charset=utf-8``, or a UTF-8 one served as ``charset=utf-16``, comes out as
garbage or not at all. Two rules put that right before feedparser sees the bytes:

- **A byte-order mark wins.** It is written by the program that encoded the bytes, so it beats
  both the server's header and the XML declaration: the document is decoded by its mark and
  handed on as UTF-8, declared as such.
- **A refused document is read again without the declared charset**, when the bytes read as
  something else: valid UTF-8, or UTF-16 by the pattern of its zero bytes.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

# UTF-32's little-endian mark starts with UTF-16's: the longer marks are tried first.
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_ENCODING = re.compile(r"""^(\s*<\?xml\b[^>]*?)\s+encoding\s*=\s*(["'])[^"'>]*\2""")
_XML_ENCODING_BYTES = re.compile(rb"""^\s*<\?xml\b[^>]*?\sencoding\s*=\s*["']([^"'>]*)["']""")
_CHARSET = re.compile(r";\s*charset\s*=\s*[^;]*", re.IGNORECASE)


def by_mark(content: bytes) -> tuple[str, int] | None:
    """(encoding, length of the mark) when ``content`` starts with a byte-order mark."""
    for mark, encoding in _MARKS:
        if content.startswith(mark):
            return encoding, len(mark)
    return None


def declared(content: bytes, headers: Mapping[str, str]) -> bool:
    """True when the header or the XML declaration names an encoding."""
    if _CHARSET.search(headers.get("content-type", "")):
        return True
    return _XML_ENCODING_BYTES.match(content[:512]) is not None


def as_utf8(content: bytes, encoding: str) -> bytes:
    """``content`` decoded as ``encoding`` (mark dropped), as UTF-8 with no declared encoding.

    The XML declaration loses its ``encoding``: left in, it would contradict the new bytes.
    """
    text = content.decode(encoding, errors="replace").removeprefix("\ufeff")
    return _XML_ENCODING.sub(r"\1", text, count=1).encode("utf-8")


def other_readings(content: bytes) -> list[str]:
    """Encodings the bytes plainly are, whatever was declared: UTF-8 when they are valid
    UTF-8, UTF-16 when every other byte of the start is zero."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return ["utf-8"]
    head = content[:64]
    if len(head) >= 8:
        if head[1::2].count(0) >= len(head) // 2 - 1 and head[0::2].count(0) == 0:
            return ["utf-16-le"]
        if head[0::2].count(0) >= len(head) // 2 - 1 and head[1::2].count(0) == 0:
            return ["utf-16-be"]
    return []


def with_utf8(headers: Mapping[str, str]) -> dict[str, str]:
    """``headers`` with the Content-Type's charset set to UTF-8 (bytes re-encoded by us)."""
    changed = dict(headers)
    kind = _CHARSET.sub("", headers.get("content-type", "")).strip() or "application/xml"
    changed["content-type"] = f"{kind}; charset=utf-8"
    return changed
