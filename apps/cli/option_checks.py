"""Checks of command-line option values that report a two-language error before any work starts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from annotated_types import Ge, Le
from pydantic import BaseModel, ValidationError

import services.core.messages  # noqa: F401  (registers the cli.* message texts)
from apps.cli.errors import exit_on_error
from services.core.errors import InvalidInputError

LANGUAGES = ("zh", "en")

ModelT = TypeVar("ModelT", bound=BaseModel)


def choice(option: str, accepted: Sequence[str]) -> Callable[[str], str]:
    """Return a Typer option callback that rejects a value outside `accepted`, listing the accepted values."""

    def check(value: str) -> str:
        if value not in accepted:
            with exit_on_error():
                raise InvalidInputError("cli.invalid_choice", option=option, value=value, accepted=", ".join(accepted))
        return value

    return check


def file_suffix(option: str, accepted: Sequence[str]) -> Callable[[Path | None], Path | None]:
    """Return a Typer option callback that rejects a path whose lower-case extension is not in `accepted`."""

    def check(value: Path | None) -> Path | None:
        if value is not None and value.suffix.lower() not in accepted:
            with exit_on_error():
                raise InvalidInputError(
                    "cli.invalid_suffix", option=option, value=value.name, accepted=", ".join(accepted)
                )
        return value

    return check


language_choice = choice("--lang", LANGUAGES)


def _field_bounds(model: type[BaseModel], field: str) -> tuple[Any, Any]:
    minimum = maximum = None
    for constraint in model.model_fields[field].metadata:
        if isinstance(constraint, Ge):
            minimum = constraint.ge
        elif isinstance(constraint, Le):
            maximum = constraint.le
    return minimum, maximum


def build_options(model: type[ModelT], build: Callable[[], ModelT], option_names: Mapping[str, str]) -> ModelT:
    """Call `build`, turning a validation error on a field set by an option into a two-language caller error.

    `option_names` maps field names of `model` to the options that set them. An error on any
    other field comes from the settings and is raised unchanged.
    """
    try:
        return build()
    except ValidationError as error:
        for detail in error.errors():
            field = str(detail["loc"][0]) if detail["loc"] else ""
            if field not in option_names:
                continue
            minimum, maximum = _field_bounds(model, field)
            params = {"option": option_names[field], "value": detail["input"], "minimum": minimum}
            if maximum is None:
                raise InvalidInputError("cli.below_minimum", **params) from error
            raise InvalidInputError("cli.out_of_range", maximum=maximum, **params) from error
        raise
