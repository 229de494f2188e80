"""Prompt templates: Jinja2 files under `prompts/<service>/<task>.<language>.j2`.

Templates render with `StrictUndefined`, so a variable the caller forgot fails
with an error that names it instead of leaving a silent gap in the prompt.

Text from users and documents goes through the `untrusted` filter (or `untrusted_attr`
inside an attribute value), so it cannot close or open the tag-delimited
blocks (`<reference>`, `<document>`, `<selection>`...) that the templates use.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

import prompts as prompts_package
from services.core.i18n import Language

PROMPTS_DIR = Path(prompts_package.__file__).parent

# "<" that starts something read as a tag: "<reference", "</document", "< /context", "<!--".
_TAG_START = re.compile(r"<(?=[/A-Za-z!?]|\s*/)")


def untrusted(value: object) -> str:
    """Neutralise tag syntax in user- or document-supplied text: a tag's `<` becomes full-width `＜`.

    Ordinary text is left as it is, including comparisons such as "a < b" or "<10 ms".
    """
    return _TAG_START.sub("＜", str(value))


def untrusted_attribute(value: object) -> str:
    """Make text safe inside a double-quoted tag attribute: one line, no `"`, no `<`."""
    return one_line(value).replace('"', "＂").replace("<", "＜")


def one_line(value: object) -> str:
    """Text with every run of whitespace, line breaks included (also U+2028, VT, FF), as one space.

    For untrusted text on a numbered line (`[n] ...`) of a prompt: it cannot start a line that poses as another item.
    """
    return " ".join(str(value).split())


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROMPTS_DIR),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["untrusted"] = untrusted
    environment.filters["untrusted_attr"] = untrusted_attribute
    return environment


def template_name(service: str, task: str, language: Language) -> str:
    return f"{service}/{task}.{language}.j2"


def render_prompt(service: str, task: str, language: Language, **variables: Any) -> str:
    """Render `prompts/<service>/<task>.<language>.j2`; raises on a missing template or variable."""
    template = _environment().get_template(template_name(service, task, language))
    return template.render(**variables).strip()


def list_templates() -> list[str]:
    return sorted(path.relative_to(PROMPTS_DIR).as_posix() for path in PROMPTS_DIR.rglob("*.j2"))
