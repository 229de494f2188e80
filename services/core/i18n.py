"""Localised message catalogue and Accept-Language negotiation.

Every user-facing message has a stable code and a Simplified Chinese and an
English text. Services register their own catalogues at import time, so the
gateway can render any error in the caller's language.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Literal

logger = logging.getLogger(__name__)

Language = Literal["zh", "en"]
DEFAULT_LANGUAGE: Language = "zh"
SUPPORTED_LANGUAGES: tuple[Language, ...] = ("zh", "en")

_catalogue: dict[str, dict[Language, str]] = {}


def register_messages(messages: Mapping[str, Mapping[Any, str]]) -> None:
    """Add message texts; each entry needs both a `zh` and an `en` text."""
    for code, texts in messages.items():
        missing = [language for language in SUPPORTED_LANGUAGES if language not in texts]
        if missing:
            raise ValueError(f"message {code!r} has no text for {', '.join(missing)}")
        if code in _catalogue and dict(texts) != _catalogue[code]:
            raise ValueError(f"message {code!r} is already registered with other texts")
        _catalogue[code] = {language: texts[language] for language in SUPPORTED_LANGUAGES}


def message_codes() -> list[str]:
    return sorted(_catalogue)


def translate(code: str, language: Language = DEFAULT_LANGUAGE, **params: object) -> str:
    """Render message `code` in `language` with `params` filled in.

    An unknown code or a missing parameter falls back to the code and the raw
    parameters, so rendering an error message does not raise.
    """
    texts = _catalogue.get(code)
    if texts is None:
        logger.warning("no message text registered for code %s", code)
        return f"{code} {params}" if params else code
    try:
        return texts[language].format(**params)
    except (KeyError, IndexError) as exc:
        logger.warning("message %s is missing parameter %s", code, exc)
        return texts[language]


def negotiate_language(accept_language: str | None) -> Language:
    """Pick `zh` or `en` from an Accept-Language header; Chinese is the default.

    The header's quality values are honoured, so `en;q=0.9, zh;q=0.8` gives
    English and `zh-CN, en;q=0.5` gives Chinese.
    """
    if not accept_language:
        return DEFAULT_LANGUAGE

    best: tuple[float, int, Language] | None = None
    for position, item in enumerate(accept_language.split(",")):
        parts = item.strip().split(";")
        tag = parts[0].strip().lower()
        quality = 1.0
        for parameter in parts[1:]:
            name, _, value = parameter.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0]
        if primary not in SUPPORTED_LANGUAGES or quality <= 0:
            continue
        language: Language = "zh" if primary == "zh" else "en"
        # Higher quality wins; among equal qualities the earlier tag wins.
        candidate = (quality, -position, language)
        if best is None or candidate[:2] > best[:2]:
            best = candidate

    return best[2] if best else DEFAULT_LANGUAGE
