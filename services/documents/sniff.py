"""Recognise binary files that carry a text extension (a PNG renamed to .md)."""

from __future__ import annotations

import codecs

from services.core.errors import Localised

# Leading bytes of common binary formats and what to call them in an error message.
_MAGIC_NUMBERS: tuple[tuple[bytes, Localised], ...] = (
    (b"\x89PNG\r\n\x1a\n", Localised("PNG 图片数据", "PNG image data")),
    (b"\xff\xd8\xff", Localised("JPEG 图片数据", "JPEG image data")),
    (b"GIF87a", Localised("GIF 图片数据", "GIF image data")),
    (b"GIF89a", Localised("GIF 图片数据", "GIF image data")),
    (b"PK\x03\x04", Localised("ZIP 压缩包数据", "ZIP archive data")),
    (b"%PDF-", Localised("PDF 文档数据", "PDF document data")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Localised("旧版 Office 文件数据", "old Office file data")),
    (b"\x1f\x8b", Localised("gzip 压缩数据", "gzip compressed data")),
    (b"ID3", Localised("MP3 音频数据", "MP3 audio data")),
    (b"OggS", Localised("Ogg 音频数据", "Ogg audio data")),
    (b"fLaC", Localised("FLAC 音频数据", "FLAC audio data")),
    (b"\x7fELF", Localised("可执行程序", "an executable program")),
)
_RIFF_KINDS = {
    b"WAVE": Localised("WAV 音频数据", "WAV audio data"),
    b"WEBP": Localised("WebP 图片数据", "WebP image data"),
    b"AVI ": Localised("AVI 视频数据", "AVI video data"),
}
_BINARY = Localised("二进制数据", "binary data")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# NUL bytes are looked for in this many leading bytes.
_SNIFF_WINDOW = 8192


def binary_kind(data: bytes) -> Localised | None:
    """Return what binary content `data` looks like, or None when it may be text."""
    for magic, kind in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and len(data) >= 12:
        return _RIFF_KINDS.get(data[8:12], _BINARY)
    if data.startswith(_UTF16_BOMS):
        # UTF-16 text has a NUL byte in every ASCII character.
        return None
    if b"\x00" in data[:_SNIFF_WINDOW]:
        return _BINARY
    return None
