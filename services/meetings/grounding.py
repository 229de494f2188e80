"""Check that decisions and action items of the minutes are supported by the transcript lines they cite.

The model cites a line number and copies a short quote from that line. An
item is kept when its quote is found in the cited line, or in another line of
the same chunk (the item is then linked to that line). When the minutes are
written in the transcript's language, the item's own words must also overlap
the quoted line and its neighbours, so a true quote cannot carry an invented
decision. Items that fail either check leave the minutes and are listed as
unsupported for review.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from typing import Literal

from services.meetings.results import Utterance

# Share of the item's terms that must occur in the quoted line and its neighbours.
MIN_TERM_SHARE = 0.3
# Share of a quote that must match one stretch of a line, which allows for small copy slips.
MIN_QUOTE_MATCH = 0.8
# Quotes shorter than this (after dropping punctuation and spaces) cannot support an item.
MIN_QUOTE_CHARS = 2

Reason = Literal["line_missing", "quote_not_found", "text_not_supported"]

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_NOT_TEXT = re.compile(r"[\W_]+")
# NOTE: English words are compared by their first five letters, a crude stem that
# matches "approve"/"approved" but not "test"/"testing"; a real stemmer would match more.
_STEM_LETTERS = 5
_STOPWORDS = frozenset(
    "a an the to of and or in on at by for with from as is are be was were will shall we you they he she it "
    "this that these those our your their his her its i me my us them do does did not no".split()
)


def normalise(text: str) -> str:
    """Lower-case NFKC text without punctuation or spaces, for quote matching."""
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text).lower())


def terms(text: str) -> set[str]:
    """Content terms of `text`: character bigrams of Chinese runs and stemmed English words."""
    folded = unicodedata.normalize("NFKC", text).lower()
    found: set[str] = set()
    for run in _CJK_RUN.findall(folded):
        if len(run) == 1:
            found.add(run)
        found.update(run[index : index + 2] for index in range(len(run) - 1))
    for word in _LATIN_WORD.findall(folded):
        if word not in _STOPWORDS:
            found.add(word[:_STEM_LETTERS])
    return found


def quote_in(quote: str, text: str) -> bool:
    """True when normalised `quote` occurs in `text`, allowing a few differing characters."""
    needle = normalise(quote)
    haystack = normalise(text)
    if len(needle) < MIN_QUOTE_CHARS or not haystack:
        return False
    if needle in haystack:
        return True
    match = SequenceMatcher(None, needle, haystack, autojunk=False).find_longest_match()
    return match.size >= MIN_QUOTE_MATCH * len(needle)


class ChunkEvidence:
    """The transcript lines of one chunk, numbered as the model saw them."""

    def __init__(
        self, utterances: list[Utterance], indexes: list[int], *, names: dict[str, str], compare_terms: bool
    ) -> None:
        self.lines = {index + 1: utterances[index] for index in indexes}
        self.names = names
        self.compare_terms = compare_terms

    def check(self, text: str, *, line: int, quote: str) -> int | Reason:
        """Return the line number that supports an item with `text` cited at `line` with `quote`, or why none does."""
        if line not in self.lines:
            return "line_missing"
        candidates = [line] + [number for number in self.lines if number != line]
        found = next((number for number in candidates if quote_in(quote, self.lines[number].text)), None)
        if found is None:
            return "quote_not_found"
        if not self.compare_terms:
            return found
        if not self._shares_terms(text, found):
            return "text_not_supported"
        return self._closest_line(text, found)

    def mentions(self, phrase: str) -> bool:
        """True when `phrase` occurs in the chunk or names one of its speakers (owners, due dates)."""
        needle = normalise(phrase)
        if not needle:
            return False
        for utterance in self.lines.values():
            speaker = self.names.get(utterance.speaker, utterance.speaker)
            if needle in normalise(utterance.text) or needle == normalise(speaker):
                return True
        return False

    def _closest_line(self, text: str, line: int) -> int:
        """Return `line` or a neighbour that shares more of the item's terms (the quote may be a cue nearby)."""
        item_terms = terms(text)
        best, best_shared = line, len(item_terms & terms(self.lines[line].text))
        for number in (line - 1, line + 1):
            if number in self.lines:
                shared = len(item_terms & terms(self.lines[number].text))
                if shared > best_shared:
                    best, best_shared = number, shared
        return best

    def _shares_terms(self, text: str, line: int) -> bool:
        item_terms = terms(text)
        if not item_terms:
            return False
        nearby = " ".join(self.lines[number].text for number in (line - 1, line, line + 1) if number in self.lines)
        return len(item_terms & terms(nearby)) >= MIN_TERM_SHARE * len(item_terms)
