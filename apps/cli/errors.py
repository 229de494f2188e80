"""Print the suite's errors to the terminal in both languages and exit non-zero."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from services.core.errors import XingchenError


@contextmanager
def exit_on_error() -> Iterator[None]:
    """Turn a `XingchenError` into a two-language message on stderr and exit code 1 (2 for caller errors)."""
    try:
        yield
    except XingchenError as exc:
        typer.secho(f"错误：{exc.message('zh')}", err=True, fg=typer.colors.RED)
        typer.secho(f"Error: {exc.message('en')}", err=True, fg=typer.colors.RED)
        raise typer.Exit(code=2 if 400 <= exc.status < 500 else 1) from exc
