"""`xingchen analytics ...`: ask a business question of a data source and write a report."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import typer

from apps.cli.errors import exit_on_error
from apps.cli.option_checks import language_choice

MAX_PRINTED_ROWS = 1000

app = typer.Typer(
    help="经营分析 · Business analytics: question -> SQL -> table, chart, analysis, report.", no_args_is_help=True
)


@app.command()
def ask(
    question: str = typer.Argument(..., help="业务问题 · The business question, e.g. 2025年各地区收入排名."),
    source: str = typer.Option("demo", "--source", "-s", help="数据源名称 · Data source name."),
    language: str = typer.Option(
        "zh", "--lang", help="语言 zh 或 en · Language of prompts and analysis: zh or en.", callback=language_choice
    ),
    report_dir: str | None = typer.Option(
        None,
        "--report-dir",
        help="报告输出目录 · Folder the reports are written to; defaults to XINGCHEN_DATA_DIR/reports.",
    ),
    formats: str = typer.Option("docx,md", "--formats", help="报告格式，逗号分隔 · Report formats: md, html, docx."),
    no_report: bool = typer.Option(False, "--no-report", help="不写报告 · Print only; write no report."),
    rows: int = typer.Option(20, "--rows", help="打印的行数，1 到 1000 · Rows of the table to print, 1 to 1000."),
) -> None:
    """提问并生成报告 · Ask a question: print SQL, table and analysis; write a .docx report with a chart."""
    from rich.console import Console
    from rich.table import Table

    import services.core.messages  # noqa: F401
    from services.analytics.options import AskOptions
    from services.analytics.pipeline import ask as ask_question
    from services.analytics.pipeline import check_question, load_turn
    from services.analytics.reports import check_formats, write_reports
    from services.core.db import Database
    from services.core.errors import InvalidInputError
    from services.core.logging import configure_logging
    from services.core.settings import get_settings
    from services.model.factory import build_model_client

    settings = get_settings()
    configure_logging("WARNING")
    console = Console()
    language_code: Literal["zh", "en"] = "en" if language == "en" else "zh"
    with exit_on_error():
        # Caller mistakes fail here, before the database or the model is touched.
        check_question(question)
        report_formats = [name.strip() for name in formats.split(",") if name.strip()]
        if not no_report:
            check_formats(report_formats)
        if not 1 <= rows <= MAX_PRINTED_ROWS:
            raise InvalidInputError("analytics.rows_out_of_range", rows=rows, maximum=MAX_PRINTED_ROWS)
        database = Database(settings.resolved_database_url)
        database.upgrade()
        model = build_model_client(settings)
        result = ask_question(
            question=question,
            source_name=source,
            model=model,
            settings=settings,
            database=database,
            options=AskOptions(language=language_code),
            page_size=rows,
        )

        console.print(f"[bold]SQL[/bold]\n{result.sql}\n")
        table = Table(show_lines=False)
        for column in result.columns:
            table.add_column(column)
        for row in result.rows:
            table.add_row(*("" if value is None else str(value) for value in row))
        console.print(table)
        if result.total_rows > len(result.rows):
            console.print(
                f"… {result.total_rows - len(result.rows)} more rows · 另有 {result.total_rows - len(result.rows)} 行"
            )
        if result.analysis is not None:
            console.print("\n[bold]分析 · Analysis[/bold]")
            console.print(result.analysis.narrative.text)
            for fact in result.analysis.facts:
                console.print(f"  • {fact.text}")
            for sentence in result.analysis.narrative.unverified:
                console.print(f"  [red]已删除（数字无依据） · removed, unsupported number:[/red] {sentence}")

        if not no_report:
            turn = load_turn(database, result.turn_id)
            files = write_reports(
                turn,
                folder=Path(report_dir) if report_dir else settings.data_dir / "reports",
                formats=report_formats,
                language=language_code,
                settings=settings,
            )
            for kind, path in sorted(files.items()):
                console.print(f"报告 report ({kind}): {path}")
        database.dispose()


@app.command()
def sources() -> None:
    """列出数据源 · List the configured data sources."""
    from services.analytics.sources import SourceRegistry
    from services.core.db import Database
    from services.core.settings import get_settings

    settings = get_settings()
    with exit_on_error():
        database = Database(settings.resolved_database_url)
        database.upgrade()
        for source in SourceRegistry(settings, database).list():
            typer.echo(f"{source.name}\t{source.dialect}\t{source.origin}\t{source.public_url()}")
        database.dispose()
