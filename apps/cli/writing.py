"""`xingchen writing ...`: plan an outline, draft a cited document, edit a passage."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from apps.cli.errors import exit_on_error
from apps.cli.option_checks import build_options, choice, file_suffix, language_choice

app = typer.Typer(help="行文写作 · Outlines, cited drafts and edit operations.", no_args_is_help=True)

TITLE_HELP = "文稿标题 · Title of the text to write."
REFERENCE_HELP = "参考文件，可重复 · Reference file (.md .txt .docx .pdf .html); repeat for several."
STRUCTURE_HELP = "结构范本文件（模仿其标题结构） · Reference file whose heading structure the outline imitates."
TYPE_HELP = "文种 · Document type: 通知/notice, 请示/request, 报告/report, 方案/plan, 文章/article."
LANGUAGE_HELP = "输出语言 · Output language: zh or en."

# Writing options that a command-line option sets, with that option's name.
OPTION_NAMES = {"max_sections": "--max-sections", "section_max_tokens": "--section-tokens"}
LAYOUT_CHOICE = choice("--layout", ("official", "standard"))
DRAFT_SUFFIX = file_suffix("--output", (".docx", ".md"))


def _settings():  # type: ignore[no-untyped-def]
    import services.core.messages  # noqa: F401
    import services.writing  # noqa: F401
    from services.core.logging import configure_logging
    from services.core.settings import get_settings

    configure_logging("WARNING")
    return get_settings()


def _model(settings):  # type: ignore[no-untyped-def]
    from services.model.factory import build_model_client

    return build_model_client(settings)


def _writing_options(settings, overrides: dict[str, object]):  # type: ignore[no-untyped-def]
    from services.writing.options import WritingOptions

    return build_options(WritingOptions, lambda: WritingOptions.from_settings(settings, overrides), OPTION_NAMES)


def _read_outline(path: Path):  # type: ignore[no-untyped-def]
    """Load an outline JSON file, raising a caller error that names the file and the invalid field."""
    from pydantic import ValidationError

    from services.core.errors import InvalidInputError, NotFoundError
    from services.writing.schemas import Outline

    if not path.is_file():
        raise NotFoundError("writing.outline_file_not_found", filename=str(path))
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InvalidInputError("writing.outline_file_not_utf8", filename=str(path)) from error
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            "writing.outline_file_not_json", filename=str(path), line=error.lineno, column=error.colno
        ) from error
    if not isinstance(data, dict):
        raise InvalidInputError("writing.outline_file_not_object", filename=str(path))
    try:
        return Outline.model_validate(data)
    except ValidationError as error:
        detail = error.errors()[0]
        field = ".".join(str(part) for part in detail["loc"])
        problem = "missing" if detail["type"] == "missing" else "invalid"
        raise InvalidInputError(f"writing.outline_file_field_{problem}", filename=str(path), field=field) from error


def _sources(references: list[Path], structure_model: Path | None):  # type: ignore[no-untyped-def]
    from services.writing.references import ReferenceSource

    sources = [ReferenceSource.from_path(path) for path in references]
    if structure_model is not None:
        sources.insert(0, ReferenceSource.from_path(structure_model, structure_model=True))
    return sources


def _print_outline(sections, indent: int = 0) -> None:  # type: ignore[no-untyped-def]
    for section in sections:
        typer.echo(f"{'  ' * indent}{section.id} {section.heading}  —  {section.note}")
        _print_outline(section.children, indent + 1)


@app.command()
def outline(
    title: str = typer.Option(..., "--title", help=TITLE_HELP),
    reference: list[Path] = typer.Option([], "--reference", help=REFERENCE_HELP),
    structure_model: Path | None = typer.Option(None, "--structure-model", help=STRUCTURE_HELP),
    document_type: str = typer.Option("article", "--type", help=TYPE_HELP),
    requirements: str = typer.Option("", "--requirements", help="写作要求 · What the text must cover."),
    language: str = typer.Option("zh", "--lang", help=LANGUAGE_HELP, callback=language_choice),
    max_sections: int = typer.Option(6, "--max-sections", help="最多章节数 · Maximum sections."),
    output: Path | None = typer.Option(None, "--output", help="提纲 JSON 输出文件 · Write the outline JSON here."),
) -> None:
    """生成提纲 · Plan an outline (print it, and write JSON that `draft --outline` reads)."""
    with exit_on_error():
        settings = _settings()
        from services.writing.schemas import parse_document_type
        from services.writing.service import create_outline

        options = _writing_options(settings, {"max_sections": max_sections})
        checked_type = parse_document_type(document_type)
        result = create_outline(
            _model(settings),
            settings=settings,
            title=title,
            requirements=requirements,
            document_type=checked_type,
            language="en" if language == "en" else "zh",
            sources=_sources(reference, structure_model),
            options=options,
        )
    _print_outline(result.sections)
    if output is not None:
        output.write_text(result.model_dump_json(indent=2), encoding="utf-8")
        typer.echo(f"提纲已写入 · outline written to {output}")


@app.command()
def draft(
    title: str = typer.Option(..., "--title", help=TITLE_HELP),
    reference: list[Path] = typer.Option([], "--reference", help=REFERENCE_HELP),
    structure_model: Path | None = typer.Option(None, "--structure-model", help=STRUCTURE_HELP),
    outline_file: Path | None = typer.Option(
        None, "--outline", help="已编辑的提纲 JSON · Outline JSON from `outline --output`."
    ),
    document_type: str = typer.Option("plan", "--type", help=TYPE_HELP),
    requirements: str = typer.Option("", "--requirements", help="写作要求 · What the text must cover."),
    language: str = typer.Option("zh", "--lang", help=LANGUAGE_HELP, callback=language_choice),
    max_sections: int = typer.Option(4, "--max-sections", help="最多章节数 · Maximum sections of a generated outline."),
    section_tokens: int | None = typer.Option(
        None, "--section-tokens", help="每节最多生成的 token 数 · Token limit per section."
    ),
    layout: str = typer.Option(
        "official",
        "--layout",
        help="版式 · Layout: official (党政机关公文格式) or standard.",
        callback=LAYOUT_CHOICE,
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        help="输出文件 .docx 或 .md · Output file (.docx or .md).",
        callback=DRAFT_SUFFIX,
    ),
) -> None:
    """起草文稿 · Draft a cited document section by section and write it as .docx or Markdown."""
    with exit_on_error():
        settings = _settings()
        from services.documents import DocumentOptions
        from services.writing.draft import stream_draft
        from services.writing.export import to_docx, to_markdown
        from services.writing.options import ExportOptions
        from services.writing.references import load_references
        from services.writing.schemas import Draft, parse_document_type
        from services.writing.service import create_outline

        overrides: dict[str, object] = {"max_sections": max_sections}
        if section_tokens is not None:
            overrides["section_max_tokens"] = section_tokens
        options = _writing_options(settings, overrides)
        sources = _sources(reference, structure_model)
        planned = _read_outline(outline_file) if outline_file is not None else None
        model = _model(settings)

        if planned is None:
            planned = create_outline(
                model,
                settings=settings,
                title=title,
                requirements=requirements,
                document_type=parse_document_type(document_type),
                language="en" if language == "en" else "zh",
                sources=sources,
                options=options,
            )
        typer.echo("提纲 · outline:")
        _print_outline(planned.sections)

        loaded = load_references(
            sources,
            options=DocumentOptions.from_settings(
                settings, chunk_max_chars=options.passage_max_chars, chunk_overlap_chars=options.passage_overlap_chars
            ),
            max_references=settings.writing_max_references,
        )
        result: Draft | None = None
        for event in stream_draft(
            model, outline=planned, references=[item.reference for item in loaded], options=options
        ):
            if event.event == "section_start":
                typer.echo(f"\n[{event.data['index'] + 1}/{event.data['total']}] {event.data['heading']}")
            elif event.event == "delta":
                sys.stdout.write(event.data["text"])
                sys.stdout.flush()
            elif event.event == "done":
                result = Draft.model_validate(event.data)
        assert result is not None

        target = output or Path(f"{planned.title}.docx")
        export_options = ExportOptions(layout="standard" if layout == "standard" else "official")
        if target.suffix.lower() == ".md":
            target.write_text(to_markdown(result, export_options), encoding="utf-8")
        else:
            target.write_bytes(to_docx(result, export_options))

    removed = sum(len(section.removed_markers) for section in result.sections)
    typer.echo(f"\n\n文稿已写入 · written to {target}")
    typer.echo(
        f"引用 citations: {len(result.citations)}，已删除无效引用 removed invalid markers: {removed}，"
        f"生成 tokens: {result.completion_tokens}，用时 wall time: {result.wall_seconds:.1f} s"
    )


@app.command()
def edit(
    operation: str = typer.Argument(
        ..., help="expand 扩写 / continue 续写 / rewrite 改写 / polish 润色 / shorten 缩写"
    ),
    text: str = typer.Option(..., "--text", help="选中的文字 · The selected text."),
    before: str = typer.Option("", "--before", help="选区前文 · Text before the selection."),
    after: str = typer.Option("", "--after", help="选区后文 · Text after the selection."),
    style: str = typer.Option("", "--style", help="改写风格 · Target style for rewrite."),
    language: str = typer.Option("zh", "--lang", help=LANGUAGE_HELP, callback=language_choice),
) -> None:
    """编辑选中文字 · Expand, continue, rewrite, polish or shorten a passage; streams the new text."""
    with exit_on_error():
        settings = _settings()
        from services.writing.edit import parse_operation, stream_edit
        from services.writing.options import EditOptions
        from services.writing.schemas import EditRequest

        checked = parse_operation(operation)
        result = None
        for event in stream_edit(
            _model(settings),
            operation=checked,
            request=EditRequest(selection=text, before=before, after=after, style=style),
            language="en" if language == "en" else "zh",
            options=EditOptions(max_tokens=settings.writing_edit_max_tokens),
        ):
            if event.event == "delta":
                sys.stdout.write(event.data["text"])
                sys.stdout.flush()
            else:
                result = event.data
    typer.echo("\n" + json.dumps(result, ensure_ascii=False, indent=2))
