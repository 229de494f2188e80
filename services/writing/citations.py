"""Citation markers in drafted text: keep those that point to a supplied passage, remove the rest."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

# [3], [1, 2], [1][2], 【3】, [^3]; full-width commas and 、 also separate numbers.
MARKER = re.compile(r"[\[【]\^?\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]")
_SEPARATOR = re.compile(r"\s*[,，、]\s*")


@dataclass
class CheckedText:
    """Text whose markers all resolve, the citation numbers it uses and the markers removed."""

    text: str
    used: list[int] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def check_citations(text: str, allowed: set[int], *, context: str = "") -> CheckedText:
    """Rewrite every marker of `text` to `[n]` markers whose n is in `allowed`.

    A marker, or a number inside one, that is not in `allowed` is removed and
    logged with `context` (a draft and section id).
    """
    used: list[int] = []
    removed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        numbers = [int(number) for number in _SEPARATOR.split(match.group(1).strip())]
        kept = [number for number in numbers if number in allowed]
        if len(kept) != len(numbers):
            removed.append(match.group(0))
        for number in kept:
            if number not in used:
                used.append(number)
        return "".join(f"[{number}]" for number in kept)

    checked = MARKER.sub(replace, text)
    if removed:
        logger.warning(
            "removed %d citation markers that point to no supplied passage in %s: %s",
            len(removed),
            context or "text",
            ", ".join(removed),
        )
    return CheckedText(text=_tidy(checked), used=used, removed=removed)


def renumber(text: str, mapping: dict[int, int]) -> str:
    """Replace each `[n]` marker by `[mapping[n]]`; every marker must already be checked."""
    return MARKER.sub(lambda match: "".join(f"[{mapping[int(n)]}]" for n in _SEPARATOR.split(match.group(1))), text)


def _tidy(text: str) -> str:
    # Removing a marker can leave a space before the punctuation it preceded.
    return re.sub(r"[ \t]+([。，；：！？.,;:!?])", r"\1", text)
