"""PDF loading with pypdf: the text layer of each page, with Chinese regulation headings."""

from __future__ import annotations

import io
import logging

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from services.core.errors import InvalidInputError
from services.documents.builder import DocumentBuilder
from services.documents.regulation import heading_levels, heading_rank

logger = logging.getLogger(__name__)

# Broken files also surface as these built-in errors from deep inside pypdf.
_PARSE_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError)


def parse_pdf(data: bytes, builder: DocumentBuilder) -> None:
    """Add one `page` block per page, split at 第X编/章/节 lines, which become headings.

    An encrypted PDF is opened with the empty user password, which works when
    it only has an owner password. Raises `InvalidInputError` when the file is
    corrupt, needs a password, or has no text layer on any page.
    """
    filename = builder.filename
    try:
        reader = PdfReader(io.BytesIO(data))
        _decrypt(reader, filename)
        page_lines = [_page_text(page).split("\n") for page in reader.pages]
    except _PARSE_ERRORS as exc:
        raise InvalidInputError("documents.corrupt", filename=filename, format="PDF", reason=_reason(exc)) from exc

    if not page_lines:
        raise InvalidInputError("documents.corrupt", filename=filename, format="PDF", reason="the PDF has no pages")
    if not any(line.strip() for lines in page_lines for line in lines):
        raise InvalidInputError("documents.pdf_no_text_layer", filename=filename, pages=len(page_lines))

    empty_pages = sum(1 for lines in page_lines if not any(line.strip() for line in lines))
    if empty_pages:
        logger.warning(
            "%s: %d of %d pages have no text layer and are left out; they may be scanned",
            filename,
            empty_pages,
            len(page_lines),
        )

    levels = heading_levels(line for lines in page_lines for line in lines)
    for number, lines in enumerate(page_lines, start=1):
        _add_page(lines, number, levels, builder)


def _decrypt(reader: PdfReader, filename: str) -> None:
    if not reader.is_encrypted:
        return
    # NOTE: AES-encrypted PDFs need the `cryptography` package, which is not a
    # dependency, so they are rejected even when only an owner password is set.
    try:
        result = reader.decrypt("")
    except (DependencyError, NotImplementedError) as exc:
        raise InvalidInputError("documents.encryption_unsupported", filename=filename, reason=_reason(exc)) from exc
    if result == PasswordType.NOT_DECRYPTED:
        raise InvalidInputError("documents.encrypted", filename=filename)
    logger.info("opened encrypted PDF %s with the empty user password", filename)


def _page_text(page: PageObject) -> str:
    return page.extract_text() or ""


def _add_page(lines: list[str], number: int, levels: dict[int, int], builder: DocumentBuilder) -> None:
    segment: list[str] = []
    for line in lines:
        rank = heading_rank(line)
        if rank is None:
            segment.append(line.rstrip())
            continue
        builder.add("page", "\n".join(segment), page=number)
        segment.clear()
        builder.add("heading", line.strip(), level=levels[rank], page=number)
    builder.add("page", "\n".join(segment), page=number)


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
