"""Categories: named sets of typed fields that extraction fills, defined as data.

Built-in categories are YAML files in `services/knowledge/categories/`;
administrators add or override categories over REST, stored in the database
(`CategoryStore` in `services.knowledge.store`).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator

from services.core.errors import InvalidInputError

logger = logging.getLogger(__name__)

CATEGORIES_DIR = Path(__file__).parent / "categories"

SCALAR_TYPES = ("string", "number", "integer", "boolean", "date")
LIST_TYPES = ("list[string]", "list[number]", "list[integer]", "list[date]")
FIELD_TYPES = SCALAR_TYPES + LIST_TYPES
# Spellings accepted on input and stored as the canonical type.
TYPE_ALIASES = {"list": "list[string]", "text": "string", "str": "string", "int": "integer", "float": "number"}

FieldType = Literal[
    "string", "number", "integer", "boolean", "date", "list[string]", "list[number]", "list[integer]", "list[date]"
]

_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class LocalText(BaseModel):
    """A text in Simplified Chinese with its English counterpart."""

    zh: str = Field(min_length=1, description="Simplified Chinese text.")
    en: str = Field(default="", description="English text; empty falls back to the Chinese text.")

    def get(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.zh


class CategoryField(BaseModel):
    """One field of a category."""

    name: str = Field(description="Identifier: lowercase letters, digits and `_`, starting with a letter.")
    label: LocalText = Field(description="Label shown to reviewers and agents.")
    type: FieldType = Field(description=f"Value type, one of: {', '.join(FIELD_TYPES)}.")
    required: bool = Field(default=False, description="Whether a reviewer expects every document to state it.")
    description: LocalText | None = Field(
        default=None, description="What the field means, for the model and reviewers."
    )
    unit: str | None = Field(
        default=None,
        description=(
            "Unit of a number field (e.g. `GB`, `Mbps`, `元`, `分钟`); values stated in other units are converted."
        ),
    )
    max_chars: int | None = Field(
        default=None,
        ge=1,
        le=200,
        description=(
            "For a text field that names one thing (a person, a phone number, an address): the longest value in "
            "characters. A longer value, or one with sentence punctuation, is a sentence rather than the thing, "
            "and the model is asked again."
        ),
    )
    examples: list[str] = Field(default_factory=list, description="Example values as they appear in documents.")

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not _FIELD_NAME.match(value):
            raise ValueError(f"field name {value!r} must match {_FIELD_NAME.pattern}")
        return value

    @field_validator("max_chars")
    @classmethod
    def _check_max_chars(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("type") != "string":
            raise ValueError("max_chars applies to string fields only")
        return value

    @property
    def is_list(self) -> bool:
        return self.type.startswith("list[")

    @property
    def item_type(self) -> str:
        return self.type[5:-1] if self.is_list else self.type


class Category(BaseModel):
    """A named set of fields, such as `资费套餐` (tariff plan)."""

    name: str = Field(min_length=1, max_length=64, description="Unique name, used in URLs and on the command line.")
    label: LocalText = Field(description="Display name in both languages.")
    description: LocalText | None = Field(default=None, description="What kind of document the category is for.")
    fields: list[CategoryField] = Field(min_length=1, description="The fields, in display order.")
    builtin: bool = Field(default=False, description="Loaded from a YAML file shipped with the service.")

    def field(self, name: str) -> CategoryField | None:
        return next((item for item in self.fields if item.name == name), None)

    @property
    def field_names(self) -> list[str]:
        return [item.name for item in self.fields]


def parse_category(data: Any, *, builtin: bool = False) -> Category:
    """Validate a category definition, raising a localised 422 that names the bad part."""
    if not isinstance(data, dict):
        raise InvalidInputError("knowledge.invalid_category", category="?", detail="expected a mapping")
    name = str(data.get("name", "?"))

    # The field types are checked first so the most common mistake gets its own message.
    fields = data.get("fields")
    if isinstance(fields, list):
        for item in fields:
            if not isinstance(item, dict) or "type" not in item:
                continue
            kind = TYPE_ALIASES.get(str(item["type"]).strip(), str(item["type"]).strip())
            if kind not in FIELD_TYPES:
                raise InvalidInputError(
                    "knowledge.bad_field_type",
                    category=name,
                    field=item.get("name", "?"),
                    type=item["type"],
                    accepted=", ".join(FIELD_TYPES),
                )
            item["type"] = kind

    try:
        category = Category.model_validate({**data, "builtin": builtin})
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        raise InvalidInputError(
            "knowledge.invalid_category", category=name, detail=f"{location}: {first['msg']}"
        ) from exc

    names = category.field_names
    duplicates = sorted({item for item in names if names.count(item) > 1})
    if duplicates:
        raise InvalidInputError(
            "knowledge.invalid_category", category=name, detail=f"duplicate field names: {', '.join(duplicates)}"
        )
    return category


@lru_cache(maxsize=1)
def builtin_categories() -> dict[str, Category]:
    """Load the YAML categories shipped with the service, keyed by name."""
    categories: dict[str, Category] = {}
    for path in sorted(CATEGORIES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        category = parse_category(data, builtin=True)
        categories[category.name] = category
    logger.debug("loaded %d built-in knowledge categories", len(categories))
    return categories
