"""Prompt templates: Jinja2 files under `prompts/<service>/<task>.<language>.j2`.

Templates render with `StrictUndefined`, so a variable the caller forgot fails
with an error that names it instead of leaving a silent gap in the prompt.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

import prompts as prompts_package
from services.core.i18n import Language

PROMPTS_DIR = Path(prompts_package.__file__).parent


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROMPTS_DIR),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template_name(service: str, task: str, language: Language) -> str:
    return f"{service}/{task}.{language}.j2"


def render_prompt(service: str, task: str, language: Language, **variables: Any) -> str:
    """Render `prompts/<service>/<task>.<language>.j2`; raises on a missing template or variable."""
    template = _environment().get_template(template_name(service, task, language))
    return template.render(**variables).strip()


def list_templates() -> list[str]:
    return sorted(path.relative_to(PROMPTS_DIR).as_posix() for path in PROMPTS_DIR.rglob("*.j2"))
