"""Character-level text normalisation with a map back to the original offsets.

Grounding compares a model's quote with the source after folding full-width
forms to half width, removing whitespace, lowercasing, converting Traditional
to Simplified characters and Chinese numerals to digits. `NormalisedText`
keeps, for every character of the folded text, the span of the source it came
from, so a match found in the folded text maps back to exact source offsets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import cn2an
import zhconv

# A run of Chinese numeral characters ("三十", "一千二百", "两").
CHINESE_NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def fold_width(text: str) -> str:
    """Turn full-width ASCII letters, digits and signs, and the ideographic space, into half width.

    Chinese punctuation such as `，` and `（` is kept, because it is the normal
    form in Chinese text.
    """
    folded: list[str] = []
    for char in text:
        code = ord(char)
        if 0xFF01 <= code <= 0xFF5E and not _is_chinese_punctuation(char):
            folded.append(chr(code - 0xFEE0))
        elif code == 0x3000:
            folded.append(" ")
        else:
            folded.append(char)
    return "".join(folded)


def _is_chinese_punctuation(char: str) -> bool:
    return char in "，（）：；！？"


def chinese_numeral_value(run: str) -> str | None:
    """Return the digits for a Chinese numeral run, or None when it is not a number by itself."""
    if run in {"十", "百", "千", "万", "亿"}:
        return {"十": "10", "百": "100", "千": "1000", "万": "10000", "亿": "100000000"}[run]
    try:
        value = cn2an.cn2an(run, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


@dataclass(frozen=True)
class NormalisedText:
    """Folded text and, per folded character, the source span `(start, end)` it came from."""

    text: str
    spans: list[tuple[int, int]]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map folded offsets `[start, end)` (end > start) back to source offsets."""
        return self.spans[start][0], self.spans[end - 1][1]


def normalise(source: str, *, numerals: bool = True) -> NormalisedText:
    """Fold `source` for matching; see the module docstring for the steps."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []

    position = 0
    numeral_runs = {match.start(): match for match in CHINESE_NUMERAL_RUN.finditer(source)} if numerals else {}
    while position < len(source):
        match = numeral_runs.get(position)
        if match is not None:
            digits = chinese_numeral_value(match.group())
            if digits is not None:
                for digit in digits:
                    chars.append(digit)
                    spans.append((match.start(), match.end()))
                position = match.end()
                continue

        folded = _fold_char(source[position])
        for char in folded:
            chars.append(char)
            spans.append((position, position + 1))
        position += 1

    return NormalisedText("".join(chars), spans)


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """Fold one character; returns "" for whitespace, so spaces never block a match."""
    char = fold_width(char)
    if char.isspace():
        return ""
    simplified = zhconv.convert(char, "zh-cn") if ord(char) > 0x2E80 else char
    if len(simplified) == 1:
        char = simplified
    char = unicodedata.normalize("NFKC", char) if not _is_chinese_punctuation(char) else char
    return char.lower()


def compact(text: str) -> str:
    """Fold `text` and drop punctuation, for comparing values rather than locating them."""
    folded = normalise(text).text
    return "".join(char for char in folded if not unicodedata.category(char).startswith("P"))
