"""`xingchen knowledge ...`: extract knowledge fields from a file, list categories, export records."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from apps.cli.errors import exit_on_error
from apps.cli.option_checks import language_choice

app = typer.Typer(help="知识采编 · Knowledge extraction with source spans.", no_args_is_help=True)


@app.command()
def extract(
    file: Path = typer.Argument(..., help="文档路径 · Document to read (.md, .txt, .docx, .pdf, .html)."),
    category: str = typer.Option("资费套餐", "--category", "-c", help="类别名称 · Category to fill."),
    language: str = typer.Option(
        "zh", "--lang", help="提示词与标签语言 · Prompt and label language: zh or en.", callback=language_choice
    ),
    save: bool = typer.Option(False, "--save", help="保存为待审核记录 · Also store the result as a draft record."),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON · Print the whole result as JSON."),
) -> None:
    """抽取知识字段 · Extract a category's fields from FILE; print each value with its source span."""
    import services.core.messages  # noqa: F401
    import services.knowledge  # noqa: F401
    from services.core.db import Database
    from services.core.i18n import Language
    from services.core.logging import configure_logging
    from services.core.settings import get_settings
    from services.documents import DocumentOptions, load_path
    from services.knowledge.extraction import extract_knowledge
    from services.knowledge.options import ExtractionOptions
    from services.knowledge.service import extract_and_store
    from services.knowledge.store import CategoryStore
    from services.model.factory import build_model_client

    settings = get_settings()
    configure_logging("WARNING")
    lang: Language = "en" if language == "en" else "zh"
    with exit_on_error():
        limits = DocumentOptions.from_settings(settings)
        document = load_path(file, max_bytes=limits.max_bytes, max_chars=limits.max_chars)
        database = Database(settings.resolved_database_url)
        database.upgrade()
        category_def = CategoryStore(database).get(category)
        options = ExtractionOptions.from_settings(settings)
        model = build_model_client(settings)

        if save:
            result, record = extract_and_store(
                model=model,
                database=database,
                category_name=category,
                document=document,
                options=options,
                language=lang,
            )
            typer.echo(f"记录 record: {record.id}")
        else:
            result = extract_knowledge(
                model=model, category=category_def, document=document, options=options, language=lang
            )

    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return

    typer.echo(f"类别 category: {result.category}    文件 file: {result.filename}    分块 chunks: {result.chunks}")
    for field in result.fields:
        value = json.dumps(field.value, ensure_ascii=False)
        spans = "; ".join(f"[{item.start}:{item.end}] {item.match} “{item.text}”" for item in field.evidence) or "-"
        typer.echo(f"{field.label} ({field.name}) = {value}  [{field.status}, {field.confidence:.2f}]")
        typer.echo(f"    span: {spans}")
        for candidate in field.candidates:
            if candidate.status != "grounded":
                raw = "-" if candidate.raw is None else json.dumps(candidate.raw, ensure_ascii=False)
                quote = f"“{candidate.quote}”" if candidate.quote else "-"
                typer.echo(f"    {candidate.status}: 取值 value {raw}  引文 quote {quote}  ({candidate.reason})")
    for warning in result.warnings:
        typer.secho(f"注意 warning: {warning}", fg=typer.colors.YELLOW)


@app.command()
def categories() -> None:
    """列出类别 · List categories and their fields."""
    import services.knowledge  # noqa: F401
    from services.core.db import Database
    from services.core.settings import get_settings
    from services.knowledge.store import CategoryStore

    settings = get_settings()
    with exit_on_error():
        database = Database(settings.resolved_database_url)
        database.upgrade()
        for category in CategoryStore(database).all():
            typer.echo(f"{category.name} · {category.label.en}{' (built-in)' if category.builtin else ''}")
            for field in category.fields:
                typer.echo(f"    {field.name}: {field.label.zh} · {field.label.en} ({field.type})")


@app.command()
def export(
    output: Path = typer.Argument(..., help="输出文件 · File to write."),
    format: str = typer.Option("json", "--format", "-f", help="格式 · json, csv, xlsx, or jsonl (reviewed pairs)."),
    category: str | None = typer.Option(None, "--category", "-c", help="只导出该类别 · Only this category."),
) -> None:
    """导出已审核知识 · Export approved knowledge, or reviewed pairs as JSONL."""
    import services.knowledge  # noqa: F401
    from services.core.db import Database
    from services.core.settings import get_settings
    from services.knowledge.export import export_knowledge
    from services.knowledge.store import RecordStore

    settings = get_settings()
    with exit_on_error():
        database = Database(settings.resolved_database_url)
        database.upgrade()
        content = export_knowledge(store=RecordStore(database), format=format, category=category)
    output.write_bytes(content)
    typer.echo(f"已写入 written: {output} ({len(content)} bytes)")
