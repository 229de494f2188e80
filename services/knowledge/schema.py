"""The pydantic output type sent to the model, built from a category at run time.

Each field asks for `quote` (a short verbatim excerpt of the document) before
`value`: a small model copies text more reliably than it computes, and the
quote is what grounding locates in the source. The JSON schema is kept
compact (shared definitions, no titles) because it is sent with every call.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from services.knowledge.categories import Category

# Keys that only document the schema; the prompt lists the fields instead.
_DROPPED_KEYS = frozenset({"title", "description"})


def _strip_titles(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _strip_titles(value) for key, value in node.items() if key not in _DROPPED_KEYS}
    if isinstance(node, list):
        return [_strip_titles(item) for item in node]
    return node


class CompactModel(BaseModel):
    """Base of the output types: its JSON schema has no `title` or `description` keys."""

    model_config = ConfigDict(extra="ignore")

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        return dict(_strip_titles(super().model_json_schema(*args, **kwargs)))


class TextAnswer(CompactModel):
    """A text or date field: the excerpt and the value read from it; both null when not stated."""

    quote: str | None
    value: str | None


class NumberAnswer(CompactModel):
    quote: str | None
    value: float | None


class IntegerAnswer(CompactModel):
    quote: str | None
    value: int | None


class BooleanAnswer(CompactModel):
    quote: str | None
    value: bool | None


class ListAnswer(CompactModel):
    """A list field: the excerpt and the items read from it."""

    quote: str | None
    value: list[str] | None


AnswerModel = TextAnswer | NumberAnswer | IntegerAnswer | BooleanAnswer | ListAnswer

_ANSWER_TYPES: dict[str, type[CompactModel]] = {
    "string": TextAnswer,
    "date": TextAnswer,
    "number": NumberAnswer,
    "integer": IntegerAnswer,
    "boolean": BooleanAnswer,
}


def build_output_model(category: Category) -> type[CompactModel]:
    """Return a model with one answer property per category field, typed by the field's type."""
    definitions: dict[str, Any] = {}
    for field in category.fields:
        answer_type = ListAnswer if field.is_list else _ANSWER_TYPES[field.type]
        definitions[field.name] = (answer_type, ...)
    return create_model("Extraction", __base__=CompactModel, **definitions)


def answers_of(output: BaseModel) -> dict[str, tuple[str | None, Any]]:
    """Return `{field name: (quote, value)}` from a validated output object."""
    result: dict[str, tuple[str | None, Any]] = {}
    for name in type(output).model_fields:
        answer = getattr(output, name)
        result[name] = (answer.quote, answer.value)
    return result
