"""Assembly of a document's plain text from blocks, keeping every offset exact."""

from __future__ import annotations

from services.core.errors import PayloadTooLargeError
from services.documents.models import Block, BlockKind, Document, DocumentFormat

BLOCK_SEPARATOR = "\n\n"


class DocumentBuilder:
    """Collect blocks in reading order and join their texts into `Document.text`.

    Each loader adds blocks here instead of computing offsets itself, so
    `text[block.start:block.end] == block.text` holds for every format.
    Raises `PayloadTooLargeError` as soon as the text grows past `max_chars`,
    so a huge file is rejected before all of it is extracted.
    """

    def __init__(self, *, filename: str, max_chars: int) -> None:
        self.filename = filename
        self.max_chars = max_chars
        self._parts: list[str] = []
        self._length = 0
        self._blocks: list[Block] = []
        self._heading_stack: list[tuple[int, str]] = []

    @property
    def block_count(self) -> int:
        return len(self._blocks)

    def add(
        self,
        kind: BlockKind,
        text: str,
        *,
        level: int | None = None,
        page: int | None = None,
    ) -> Block | None:
        """Append a block. Text that is empty after stripping whitespace adds nothing."""
        text = text.strip()
        if not text:
            return None
        if kind == "heading" and level is None:
            raise ValueError("a heading block needs a level")

        if self._parts:
            self._parts.append(BLOCK_SEPARATOR)
            self._length += len(BLOCK_SEPARATOR)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        self._check_length()

        if kind == "heading" and level is not None:
            while self._heading_stack and self._heading_stack[-1][0] >= level:
                self._heading_stack.pop()
        heading_path = [title for _, title in self._heading_stack]
        if kind == "heading" and level is not None:
            self._heading_stack.append((level, text))

        block = Block(
            kind=kind,
            text=text,
            start=start,
            end=self._length,
            level=level if kind == "heading" else None,
            heading_path=heading_path,
            page=page,
        )
        self._blocks.append(block)
        return block

    def build(self, *, document_id: str, document_format: DocumentFormat) -> Document:
        return Document(
            id=document_id,
            filename=self.filename,
            format=document_format,
            text="".join(self._parts),
            blocks=self._blocks,
        )

    def _check_length(self) -> None:
        if self._length > self.max_chars:
            raise PayloadTooLargeError(
                "documents.too_many_chars",
                filename=self.filename,
                limit=self.max_chars,
                setting="XINGCHEN_MAX_DOCUMENT_CHARS",
            )
