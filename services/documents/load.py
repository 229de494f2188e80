"""Entry points that turn an uploaded file into a `Document`."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path, PurePath

from services.core.errors import (
    InvalidInputError,
    Localised,
    NotFoundError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
    XingchenError,
)
from services.documents.builder import DocumentBuilder
from services.documents.loaders.docx_loader import parse_docx
from services.documents.loaders.html_loader import parse_html
from services.documents.loaders.markdown_loader import parse_markdown
from services.documents.loaders.pdf_loader import parse_pdf
from services.documents.loaders.text_loader import parse_text
from services.documents.models import Document, DocumentFormat
from services.documents.options import DEFAULT_OPTIONS
from services.documents.sniff import binary_kind

logger = logging.getLogger(__name__)

FORMATS_BY_EXTENSION: dict[str, DocumentFormat] = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
}
ACCEPTED_EXTENSIONS = tuple(FORMATS_BY_EXTENSION)

_ZIP_MAGIC = b"PK\x03\x04"
# Old binary .doc files and password-protected .docx files are both OLE2 compound files.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# PDF readers accept up to 1024 bytes of junk before the "%PDF-" header.
_PDF_HEADER = b"%PDF-"
_PDF_HEADER_WINDOW = 1024
_TEXT_FORMATS: frozenset[DocumentFormat] = frozenset({"markdown", "text", "html"})


def load_document(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_OPTIONS.max_bytes,
    max_chars: int = DEFAULT_OPTIONS.max_chars,
    max_unpacked_bytes: int = DEFAULT_OPTIONS.max_unpacked_bytes,
    document_id: str | None = None,
) -> Document:
    """Extract the text and structure of a .docx, .pdf, .md, .txt or .html file.

    The extension of `filename` chooses the loader. `document_id` defaults to
    the first 16 hex digits of the file's SHA-256, so the same bytes always get
    the same id. Raises a `CallerError` that names the file when it is empty,
    too large, of an unsupported type, corrupt, encrypted, or without text.
    """
    try:
        document = _load(
            data,
            filename,
            max_bytes=max_bytes,
            max_chars=max_chars,
            max_unpacked_bytes=max_unpacked_bytes,
            document_id=document_id,
        )
    except XingchenError as exc:
        logger.info("rejected document %s: %s", filename, exc.code)
        raise

    logger.info(
        "loaded document %s (%s, id %s): %d blocks, %d characters",
        filename,
        document.format,
        document.id,
        len(document.blocks),
        len(document.text),
    )
    return document


def _load(
    data: bytes,
    filename: str,
    *,
    max_bytes: int,
    max_chars: int,
    max_unpacked_bytes: int,
    document_id: str | None,
) -> Document:
    document_format = _format_of(filename)
    if not data:
        raise InvalidInputError("documents.empty", filename=filename)
    if len(data) > max_bytes:
        raise _too_large(filename, len(data), max_bytes)
    _check_magic(data, filename, document_format)

    builder = DocumentBuilder(filename=filename, max_chars=max_chars)
    _parse(data, builder, document_format, max_unpacked_bytes=max_unpacked_bytes)
    if builder.block_count == 0:
        raise InvalidInputError("documents.no_text", filename=filename)

    return builder.build(
        document_id=document_id or hashlib.sha256(data).hexdigest()[:16],
        document_format=document_format,
    )


def load_path(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_OPTIONS.max_bytes,
    max_chars: int = DEFAULT_OPTIONS.max_chars,
    max_unpacked_bytes: int = DEFAULT_OPTIONS.max_unpacked_bytes,
    document_id: str | None = None,
) -> Document:
    """Read a file and load it with `load_document`, checking its size before reading it."""
    path = Path(path)
    _format_of(path.name)

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _read_error(path, exc) from exc
    if size > max_bytes:
        raise _too_large(path.name, size, max_bytes)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _read_error(path, exc) from exc

    return load_document(
        data,
        path.name,
        max_bytes=max_bytes,
        max_chars=max_chars,
        max_unpacked_bytes=max_unpacked_bytes,
        document_id=document_id,
    )


def _too_large(filename: str, size: int, limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        "documents.too_large",
        filename=filename,
        size=size,
        limit=limit,
        setting="XINGCHEN_MAX_DOCUMENT_BYTES",
    )


def _read_error(path: Path, exc: OSError) -> XingchenError:
    if isinstance(exc, FileNotFoundError):
        return NotFoundError("documents.file_not_found", path=str(path))
    return InvalidInputError("documents.file_unreadable", path=str(path), reason=exc.strerror or str(exc))


def _format_of(filename: str) -> DocumentFormat:
    extension = PurePath(filename).suffix.lower()
    document_format = FORMATS_BY_EXTENSION.get(extension)
    if document_format is None:
        raise UnsupportedMediaTypeError(
            "documents.unsupported_type",
            filename=filename,
            extension=extension or "(none)",
            accepted=", ".join(ACCEPTED_EXTENSIONS),
        )
    return document_format


def _check_magic(data: bytes, filename: str, document_format: DocumentFormat) -> None:
    """Reject binary data in a text format, a .docx that is an OLE2 file or no zip, and a .pdf without a header."""
    if document_format in _TEXT_FORMATS:
        kind = binary_kind(data)
        if kind is not None:
            raise InvalidInputError("documents.not_text", filename=filename, kind=kind)
    if document_format == "docx" and data.startswith(_OLE2_MAGIC):
        raise InvalidInputError("documents.legacy_word", filename=filename)
    if document_format == "docx" and not data.startswith(_ZIP_MAGIC):
        raise InvalidInputError(
            "documents.content_mismatch",
            filename=filename,
            format="DOCX",
            detail=Localised("它不是 ZIP 压缩包", "it is not a zip archive"),
        )
    if document_format == "pdf" and _PDF_HEADER not in data[:_PDF_HEADER_WINDOW]:
        raise InvalidInputError(
            "documents.content_mismatch",
            filename=filename,
            format="PDF",
            detail=Localised("缺少“%PDF-”文件头", "the '%PDF-' header is missing"),
        )


def _parse(
    data: bytes,
    builder: DocumentBuilder,
    document_format: DocumentFormat,
    *,
    max_unpacked_bytes: int,
) -> None:
    parsers: dict[DocumentFormat, Callable[[bytes, DocumentBuilder], None]] = {
        "pdf": parse_pdf,
        "markdown": parse_markdown,
        "text": parse_text,
        "html": parse_html,
    }
    if document_format == "docx":
        parse_docx(data, builder, max_unpacked_bytes=max_unpacked_bytes)
    else:
        parsers[document_format](data, builder)
