"""Loaded documents, their blocks and heading tree, and the passages cut from them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

BlockKind = Literal["heading", "paragraph", "table", "list_item", "page"]
DocumentFormat = Literal["docx", "pdf", "markdown", "text", "html"]


class Block(BaseModel):
    """One structural unit of a document, located by character offsets into `Document.text`."""

    kind: BlockKind = Field(
        description=(
            "`heading`, `paragraph`, `table` (rows on separate lines, cells joined by ' | '), "
            "`list_item`, or `page` (the text of one PDF page, or of the part of it "
            "between two headings)."
        )
    )
    text: str = Field(description="The block's plain text, equal to `Document.text[start:end]`.")
    start: int = Field(ge=0, description="Offset of the first character in `Document.text`.")
    end: int = Field(ge=0, description="Offset one past the last character in `Document.text`.")
    level: int | None = Field(
        default=None,
        description=("Heading level, 1 for the top level (a Word 'Title' paragraph is 0), or empty for other kinds."),
    )
    heading_path: list[str] = Field(
        default_factory=list,
        description=(
            "Titles of the headings that enclose this block, outermost first. "
            "A heading's path excludes the heading itself."
        ),
    )
    page: int | None = Field(
        default=None,
        description="1-based PDF page the block starts on, or empty for other formats.",
    )


class HeadingNode(BaseModel):
    """A heading with the headings nested under it."""

    title: str
    level: int
    start: int = Field(description="Offset of the heading in `Document.text`.")
    children: list[HeadingNode] = Field(default_factory=list)


class Document(BaseModel):
    """The plain text of one file and its blocks."""

    id: str = Field(description="Stable identifier, by default derived from the file's SHA-256.")
    filename: str
    format: DocumentFormat
    text: str = Field(description="The whole plain text: block texts in order, separated by blank lines.")
    blocks: list[Block]

    @model_validator(mode="after")
    def _check_offsets(self) -> Document:
        for index, block in enumerate(self.blocks):
            if self.text[block.start : block.end] != block.text:
                raise ValueError(
                    f"block {index} ({block.kind}) at {block.start}:{block.end} does not match the document text"
                )
        return self

    def headings(self) -> list[HeadingNode]:
        """Build the heading tree: top-level nodes, each with its nested headings.

        A heading becomes a child of the nearest earlier heading with a lower level,
        so a skipped level (an h1 followed by an h3) still nests.
        """
        roots: list[HeadingNode] = []
        stack: list[HeadingNode] = []

        for block in self.blocks:
            if block.kind != "heading" or block.level is None:
                continue
            node = HeadingNode(title=block.text, level=block.level, start=block.start)

            while stack and stack[-1].level >= node.level:
                stack.pop()
            if stack:
                stack[-1].children.append(node)
            else:
                roots.append(node)
            stack.append(node)

        return roots


class Passage(BaseModel):
    """A span of a document's text small enough to index and to quote to a model."""

    id: str = Field(description="`<document id>#p<n>`, where n counts the document's passages from 0.")
    document_id: str
    text: str = Field(description="Equal to `Document.text[start:end]`.")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    heading_path: list[str] = Field(
        default_factory=list,
        description="Titles of the headings of the passage's section, outermost first.",
    )
    page: int | None = Field(
        default=None,
        description="1-based PDF page the passage starts on, or empty for other formats.",
    )


class ScoredPassage(BaseModel):
    """A search hit: a passage and its BM25 score (higher is more relevant)."""

    passage: Passage
    score: float
