"""Run the `xingchen` command with its usage errors printed in Chinese and English.

Click writes usage errors ("No such option", "Invalid value") in English only.
`run()` lets them propagate instead, prints a Chinese line first, and then
Typer's own formatted message with the usage hint.
"""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

# NOTE: Typer 0.29 vendors Click as `typer._click`, so its errors are not
# `click.ClickException`. tests/cli/test_usage_errors.py fails if that moves.
from typer._click import exceptions as click_errors
from typer.rich_utils import rich_format_error

import services.core.messages  # noqa: F401  (registers the validation texts)
from services.core.validation import describe_settings_errors

CHINESE_ERROR_TITLES: list[tuple[type[click_errors.ClickException], str]] = [
    (click_errors.NoSuchOption, "没有这个选项"),
    (click_errors.MissingParameter, "缺少必需的参数"),
    (click_errors.BadParameter, "参数值无效"),
    (click_errors.BadOptionUsage, "选项用法有误"),
    (click_errors.BadArgumentUsage, "参数用法有误"),
    (click_errors.FileError, "无法打开文件"),
    (click_errors.UsageError, "命令用法有误"),
]


def chinese_title(error: click_errors.ClickException) -> str:
    """Return the Chinese name of the most specific error class that `error` belongs to."""
    for error_type, title in CHINESE_ERROR_TITLES:
        if isinstance(error, error_type):
            return title
    return "命令执行失败"


def run(app: typer.Typer) -> None:
    """Invoke `app` on `sys.argv` and exit with Click's exit codes (2 for usage errors)."""
    try:
        result = app(standalone_mode=False)
    except click_errors.NoArgsIsHelpError as error:
        # `xingchen` or `xingchen meetings` alone: Typer prints the help.
        rich_format_error(error)
        sys.exit(error.exit_code)
    except click_errors.ClickException as error:
        typer.secho(f"错误：{chinese_title(error)}。运行命令时加 --help 查看用法。", err=True, fg=typer.colors.RED)
        rich_format_error(error)
        sys.exit(error.exit_code)
    except typer.Abort:
        typer.secho("已取消 · Aborted.", err=True, fg=typer.colors.RED)
        sys.exit(1)
    except ValidationError as error:
        # Settings from XINGCHEN_ variables or .env failed validation before any command ran.
        # Only field names and problems are printed: the input values may hold secrets.
        items = error.errors(include_url=False, include_input=False)
        typer.secho("错误：设置项无效，请检查 XINGCHEN_ 环境变量或 .env 文件：", err=True, fg=typer.colors.RED)
        for line in describe_settings_errors(items, "zh"):
            typer.secho(f"  - {line}", err=True, fg=typer.colors.RED)
        typer.secho(
            "Error: invalid settings; check the XINGCHEN_ environment variables or the .env file:",
            err=True,
            fg=typer.colors.RED,
        )
        for line in describe_settings_errors(items, "en"):
            typer.secho(f"  - {line}", err=True, fg=typer.colors.RED)
        sys.exit(2)
    sys.exit(result if isinstance(result, int) else 0)
