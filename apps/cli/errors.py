"""Print the suite's errors to the terminal in both languages and exit non-zero."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from services.core.errors import InvalidInputError, NotFoundError, XingchenError


@contextmanager
def exit_on_error() -> Iterator[None]:
    """Turn a `XingchenError` into a two-language message on stderr and exit code 1 (2 for caller errors)."""
    try:
        yield
    except XingchenError as exc:
        typer.secho(f"错误：{exc.message('zh')}", err=True, fg=typer.colors.RED)
        typer.secho(f"Error: {exc.message('en')}", err=True, fg=typer.colors.RED)
        raise typer.Exit(code=2 if 400 <= exc.status < 500 else 1) from exc


def check_path(path: Path, *, folder: bool) -> None:
    """Raise the suite's localised error when `path` is missing or is not a file (or folder)."""
    import services.documents.messages  # noqa: F401  (registers the file texts)

    if not path.exists():
        raise NotFoundError("documents.folder_not_found" if folder else "documents.file_not_found", path=str(path))
    if folder and not path.is_dir():
        raise InvalidInputError("documents.not_a_folder", path=str(path))
    if not folder and path.is_dir():
        raise InvalidInputError("documents.not_a_file", path=str(path))
