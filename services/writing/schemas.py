"""Outlines, references, drafts and edit results: the writing service's data shapes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, field_validator

from services.documents import Passage

Language = Literal["zh", "en"]
DocumentType = Literal["notice", "request", "report", "plan", "article"]

# Chinese names that requests may use in place of the English keys.
DOCUMENT_TYPE_ALIASES: dict[str, DocumentType] = {
    "通知": "notice",
    "请示": "request",
    "报告": "report",
    "方案": "plan",
    "文章": "article",
}
DOCUMENT_TYPE_LABELS: dict[DocumentType, dict[Language, str]] = {
    "notice": {"zh": "通知", "en": "notice"},
    "request": {"zh": "请示", "en": "request for instructions"},
    "report": {"zh": "报告", "en": "report"},
    "plan": {"zh": "方案", "en": "work plan"},
    "article": {"zh": "文章", "en": "article"},
}


def normalise_document_type(value: object) -> object:
    """Map a Chinese document-type name (方案) to its key (plan); other values pass unchanged."""
    if isinstance(value, str):
        return DOCUMENT_TYPE_ALIASES.get(value.strip(), value.strip())
    return value


# A document type given as a key (plan) or a Chinese name (方案).
DocumentTypeField = Annotated[DocumentType, BeforeValidator(normalise_document_type)]


class ReferenceText(BaseModel):
    """A reference document sent as text in a JSON request."""

    filename: str = Field(
        min_length=1,
        description="Name shown in citations; its extension (.md, .txt, .html) chooses the parser.",
    )
    text: str = Field(description="The document's content.")
    structure_model: bool = Field(
        default=False, description="Imitate this reference's heading structure in the outline."
    )


class ReferenceDocument(BaseModel):
    """A loaded reference: its passages are what sections retrieve and cite."""

    document_id: str
    filename: str
    structure_model: bool = False
    passages: list[Passage]


class OutlineSection(BaseModel):
    """One heading of an outline, with what it covers and the passages assigned to it."""

    id: str = Field(default="", description="Position in the tree, e.g. `2.1`; assigned when the outline is saved.")
    heading: str = Field(min_length=1, description="Heading text without numbering (no 一、 or 1.).")
    note: str = Field(default="", description="What the section covers, in a sentence or two.")
    level: int = Field(default=1, ge=1, le=4, description="Depth in the tree, 1 for top-level sections.")
    passage_ids: list[str] = Field(
        default_factory=list, description="Reference passages assigned to the section, best first."
    )
    children: list[OutlineSection] = Field(default_factory=list)

    @field_validator("heading")
    @classmethod
    def _strip_heading(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a heading must contain text")
        return value


class Outline(BaseModel):
    """A planned text: title, type and the section tree."""

    id: str | None = Field(default=None, description="Stored outline id; empty before it is saved.")
    title: str
    document_type: DocumentTypeField = "article"
    language: Language = "zh"
    requirements: str = ""
    structure_source: str | None = Field(
        default=None, description="Filename of the reference whose headings the outline imitates."
    )
    sections: list[OutlineSection]


class OutlineUpdate(BaseModel):
    """An edited outline sent with `PUT`: the fields given replace the stored ones."""

    title: str | None = None
    document_type: DocumentTypeField | None = None
    requirements: str | None = None
    sections: list[OutlineSection]


class Citation(BaseModel):
    """A numbered citation of a draft and the reference passage it points to."""

    number: int
    passage_id: str
    filename: str
    heading_path: list[str] = Field(default_factory=list)
    excerpt: str = Field(description="The passage's first characters, for a reader to check the source.")


class CitedPassage(BaseModel):
    """The whole reference passage that a draft's citation points to, as stored with the outline."""

    number: int = Field(description="The citation number used in the draft text, as in `[3]`.")
    passage_id: str
    document_id: str = Field(description="Id of the reference document the passage comes from.")
    filename: str
    heading_path: list[str] = Field(default_factory=list, description="Headings above the passage, outermost first.")
    text: str = Field(description="The passage's full text.")
    start: int = Field(description="Offset of the passage's first character in the reference's extracted text.")
    end: int = Field(description="Offset just past the passage's last character in the reference's extracted text.")
    page: int | None = Field(
        default=None, description="1-based PDF page the passage starts on; empty for other formats."
    )


class DraftSection(BaseModel):
    """The text written for one outline section."""

    section_id: str
    heading: str
    level: int
    text: str = Field(description="Body text with citation markers such as [3]; empty for a section with children.")
    citations: list[int] = Field(default_factory=list, description="Citation numbers used in `text`.")
    removed_markers: list[str] = Field(
        default_factory=list, description="Markers the model wrote that point to no supplied passage; removed."
    )


class Draft(BaseModel):
    """A whole draft: sections in outline order and the citations they use."""

    id: str | None = None
    outline_id: str | None = None
    title: str
    document_type: DocumentType = "article"
    language: Language = "zh"
    sections: list[DraftSection]
    citations: list[Citation]
    completion_tokens: int = Field(default=0, description="Tokens the model generated for the draft.")
    model_seconds: float = Field(default=0.0, description="Seconds spent in model calls.")
    wall_seconds: float = Field(default=0.0, description="Seconds from start to end of drafting.")


EditOperation = Literal["expand", "continue", "rewrite", "polish", "shorten"]
EDIT_OPERATIONS: tuple[EditOperation, ...] = ("expand", "continue", "rewrite", "polish", "shorten")
EDIT_OPERATION_LABELS: dict[EditOperation, dict[Language, str]] = {
    "expand": {"zh": "扩写", "en": "expand"},
    "continue": {"zh": "续写", "en": "continue"},
    "rewrite": {"zh": "改写", "en": "rewrite"},
    "polish": {"zh": "润色", "en": "polish"},
    "shorten": {"zh": "缩写", "en": "shorten"},
}


class EditRequest(BaseModel):
    """A selected passage and its surroundings, as an editor sends them."""

    selection: str = Field(description="The selected text to replace (or, for `continue`, to continue).")
    before: str = Field(default="", description="Text just before the selection, for context.")
    after: str = Field(default="", description="Text just after the selection, for context.")
    style: str = Field(
        default="",
        description="For `rewrite`: the target style, e.g. 正式公文, 通俗易懂, concise. Empty keeps the register.",
    )
    language: Language | None = Field(default=None, description="Output language; empty means the caller's language.")


class EditResult(BaseModel):
    """The replacement an editor shows as a diff against the selection."""

    operation: EditOperation
    original: str
    replacement: str = Field(
        description="Text to put in place of the selection; for `continue`, the selection followed by new text."
    )
    added: str = Field(description="Only the newly generated text.")


def parse_document_type(value: str) -> DocumentType:
    """Return the document-type key for a key or Chinese name, or raise a 422 error listing both."""
    from services.core.errors import InvalidInputError

    normalised = normalise_document_type(value)
    if normalised not in DOCUMENT_TYPE_LABELS:
        accepted = ", ".join(f"{key}/{labels['zh']}" for key, labels in DOCUMENT_TYPE_LABELS.items())
        raise InvalidInputError("writing.invalid_document_type", value=value, accepted=accepted)
    return normalised  # type: ignore[return-value]
