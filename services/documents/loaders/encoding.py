"""Decoding of plain-text files (.txt, .md, .html) whose encoding is not declared."""

from __future__ import annotations

import codecs
import logging

from services.core.errors import InvalidInputError, Localised

logger = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# GB18030 is a superset of GBK and GB2312, so one attempt covers all three.
# NOTE: Big5 and Shift_JIS bytes often decode as GB18030 without an error and
# come out garbled. Telling them apart needs a statistical detector.
_FALLBACK_ENCODINGS = ("utf-8", "gb18030")


def decode_text(data: bytes, *, filename: str, format_name: str) -> str:
    """Decode `data` as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030.

    Line endings become "\\n". Raises `InvalidInputError` when no encoding fits
    or when the text contains NUL characters, which means a binary file.
    """
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InvalidInputError(
                    "documents.corrupt", filename=filename, format=format_name, reason=str(exc)
                ) from exc
            break

    if text is None:
        for encoding in _FALLBACK_ENCODINGS:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if encoding != "utf-8":
                logger.info("decoded %s as %s because it is not valid UTF-8", filename, encoding)
            break

    if text is None:
        raise InvalidInputError(
            "documents.unknown_encoding",
            filename=filename,
            tried=", ".join(["UTF-8", "UTF-16 (BOM)", "GB18030/GBK"]),
        )
    if "\x00" in text:
        raise InvalidInputError(
            "documents.content_mismatch",
            filename=filename,
            format=format_name,
            detail=Localised(
                "其中含有 NUL 字符，说明它是二进制数据", "it contains NUL characters, so it is binary data"
            ),
        )

    return text.replace("\r\n", "\n").replace("\r", "\n")
