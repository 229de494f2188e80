"""Pull the SQL query out of a model reply, whatever its shape."""

from __future__ import annotations

import re

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n?(.*?)(?:```|\Z)", re.DOTALL)
_START = re.compile(r"\b(SELECT|WITH)\b", re.IGNORECASE)
# Statements that are not queries; kept so that the guard can name them in its rejection.
_OTHER_START = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|DROP|CREATE|ALTER|TRUNCATE|ATTACH|PRAGMA|COPY|SET|CALL|MERGE|GRANT)\b", re.IGNORECASE
)


def extract_sql(reply: str) -> str | None:
    """Return the SQL of `reply`: the first fenced block that contains SQL, else the text from SELECT/WITH on.

    Returns None when the reply contains no SQL, so nothing is executed.
    """
    blocks = [(language.lower(), body.strip()) for language, body in _FENCE.findall(reply)]
    sql_blocks = [
        body for language, body in blocks if body and language in ("sql", "sqlite", "postgresql", "mysql", "duckdb")
    ]
    other_blocks = [
        body for language, body in blocks if body and language not in ("sql", "sqlite", "postgresql", "mysql", "duckdb")
    ]
    for body in sql_blocks + other_blocks:
        if _START.search(body) or _OTHER_START.search(body):
            return _trim(body)

    text = _FENCE.sub("", reply) if blocks else reply
    for line_start, line in _lines_with_offsets(text):
        if _OTHER_START.match(line):
            return _trim(text[line_start:])
    match = _START.search(text)
    if match is None:
        return None
    return _trim(text[match.start() :])


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    offsets = []
    position = 0
    for line in text.splitlines(keepends=True):
        offsets.append((position, line))
        position += len(line)
    return offsets


def _trim(sql: str) -> str:
    """Cut prose that follows the query: a blank line or a line that reads as a sentence ends it."""
    kept: list[str] = []
    for line in sql.strip().splitlines():
        stripped = line.strip()
        if not stripped and kept:
            break
        if kept and _looks_like_prose(stripped):
            break
        kept.append(line.rstrip())
    text = "\n".join(kept).strip()
    return text.rstrip("`").strip()


def _looks_like_prose(line: str) -> bool:
    # A line of Chinese explanation, or an English sentence such as "This query returns ...".
    if re.match(r"^[\u4e00-\u9fff]", line) and not re.search(r"[=<>(),]", line[:20]):
        return True
    return bool(re.match(r"^(This|The|Here|Note|Explanation|It)\b", line))
