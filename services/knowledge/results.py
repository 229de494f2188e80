"""Results of extraction: one `FieldResult` per category field, each value with its evidence."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from services.knowledge.grounding import Evidence

FieldStatus = Literal["grounded", "conflict", "empty", "not_stated", "ungrounded", "invalid", "rejected"]


class FieldCandidate(BaseModel):
    """A model proposal for a field in one chunk, with the grounding verdict."""

    value: Any = Field(default=None, description="The value converted to the field's type; null when not stated.")
    raw: Any = Field(default=None, description="The value as the model wrote it.")
    quote: str | None = Field(default=None, description="The excerpt the model quoted as its evidence.")
    evidence: list[Evidence] = Field(
        default_factory=list, description="Source spans supporting the value (one per item for list fields)."
    )
    chunk: int = Field(ge=0, description="Index of the chunk the proposal came from.")
    status: FieldStatus = Field(description="`grounded`, `empty`, `not_stated`, `ungrounded`, `invalid` or `rejected`.")
    reason: str | None = Field(default=None, description="Why the proposal was not accepted.")


class FieldResult(BaseModel):
    """The merged result of one field."""

    name: str
    label: str = Field(description="The field's label in the request's language.")
    type: str
    status: FieldStatus = Field(
        description=(
            "`grounded`: value with evidence; `conflict`: chunks disagree (value is the best-supported "
            "candidate); `empty`: stated as empty; `not_stated`: the text does not state it; "
            "`ungrounded`: the model proposed a value with no support in the text; `invalid`: the value "
            "cannot be converted to the field's type; `rejected`: the only evidence is an instruction-like "
            "sentence inside the document."
        )
    )
    value: Any = Field(default=None, description="Accepted value, converted to the field's type; null unless grounded.")
    evidence: list[Evidence] = Field(default_factory=list, description="Source spans of the accepted value.")
    confidence: float = Field(ge=0, le=1, description="Heuristic confidence from the match kind and agreement.")
    conflict: bool = Field(default=False, description="Chunks proposed different grounded values.")
    candidates: list[FieldCandidate] = Field(
        default_factory=list, description="Every non-empty proposal, accepted or not, for the reviewer."
    )


class ExtractionResult(BaseModel):
    """All fields of one document, with the facts a reviewer needs."""

    category: str
    document_id: str
    filename: str
    chunks: int = Field(description="Number of chunks sent to the model.")
    fields: list[FieldResult]
    warnings: list[str] = Field(
        default_factory=list, description="Notes on the document, such as instruction-like text."
    )
    model: str = Field(description="Name of the model that extracted the values.")

    def field(self, name: str) -> FieldResult:
        return next(item for item in self.fields if item.name == name)

    def values(self) -> dict[str, Any]:
        return {item.name: item.value for item in self.fields}
