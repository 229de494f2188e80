"""`xingchen meetings ...`: transcribe one recording into minutes, or a whole folder in a batch."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import typer

from apps.cli.errors import check_path, exit_on_error

app = typer.Typer(help="会议纪要 · Meeting transcription, speakers and minutes.", no_args_is_help=True)


def _options(raw: str) -> dict[str, Any]:
    from services.meetings.options import parse_options

    with exit_on_error():
        try:
            overrides = json.loads(raw)
        except json.JSONDecodeError as exc:
            from services.core.errors import InvalidInputError

            raise InvalidInputError("meetings.bad_options", detail=str(exc)) from exc
        parse_options(overrides)
    return overrides  # type: ignore[no-any-return]


@app.command()
def transcribe(
    file: Path = typer.Argument(..., metavar="FILE", help="录音文件 · Recording to transcribe."),
    out: Path | None = typer.Option(None, "--out", help="输出目录 · Output folder; defaults to the file's folder."),
    options: str = typer.Option("{}", "--options", help="处理选项 JSON · MeetingOptions as JSON."),
    minutes: bool = typer.Option(True, "--minutes/--no-minutes", help="生成纪要 · Write minutes with the model."),
) -> None:
    """转写并生成纪要 · Transcribe FILE; write Markdown, .docx, JSON, SRT, WebVTT and RTTM."""
    import services.core.messages  # noqa: F401
    import services.meetings  # noqa: F401
    from services.core.logging import configure_logging
    from services.core.settings import get_settings
    from services.meetings.batch import write_outputs
    from services.meetings.options import parse_options
    from services.meetings.pipeline import process_meeting

    with exit_on_error():
        check_path(file, folder=False)
    settings = get_settings()
    configure_logging("WARNING")
    overrides = _options(options)
    overrides.setdefault("minutes", minutes)
    with exit_on_error():
        parsed = parse_options(overrides)
        model = None
        if parsed.minutes:
            from services.model.factory import build_model_client

            model = build_model_client(settings)
        result = process_meeting(
            file.read_bytes(),
            filename=file.name,
            options=parsed,
            settings=settings,
            model=model,
            progress=lambda share, message: typer.echo(f"{share:4.0%} {message}", err=True),
        )
    target = out or file.parent
    written = write_outputs(result, out_dir=target, relative=Path(file.name))
    for note in result.transcript.notes:
        from services.core.i18n import translate

        typer.echo(f"{translate(note, 'zh')} · {translate(note, 'en')}")
    typer.echo(f"发言人 · speakers: {', '.join(result.transcript.speakers) or '-'}")
    for name in written:
        typer.echo(str(target / name))


@app.command()
def batch(
    in_dir: Path = typer.Argument(..., metavar="IN_DIR", help="录音目录 · Folder tree of recordings."),
    out: Path = typer.Option(..., "--out", help="输出目录 · Output folder (manifest.json, failures.json)."),
    workers: int = typer.Option(2, "--workers", min=1, help="并行数 · Files processed at once."),
    queue: bool = typer.Option(False, "--queue", help="交给 Celery 执行 · Run on Celery workers over the broker."),
    options: str = typer.Option("{}", "--options", help="处理选项 JSON · MeetingOptions as JSON."),
    minutes: bool = typer.Option(True, "--minutes/--no-minutes", help="生成纪要 · Write minutes with the model."),
) -> None:
    """批量处理 · Process every recording under IN_DIR; resume by content hash; exit 1 if any file failed."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    import services.core.messages  # noqa: F401
    import services.meetings  # noqa: F401
    from services.core.logging import configure_logging
    from services.core.settings import get_settings
    from services.meetings.batch import run_batch
    from services.meetings.options import parse_options
    from services.meetings.pipeline import process_meeting

    with exit_on_error():
        check_path(in_dir, folder=True)
    settings = get_settings()
    configure_logging("WARNING")
    overrides = _options(options)
    overrides.setdefault("minutes", minutes)
    parsed = parse_options(overrides)

    closer = None
    if queue:
        from services.meetings.queue import QueueProcessor

        with exit_on_error():
            processor: Any = QueueProcessor(settings, overrides)
        closer = processor.close
    else:
        model = None
        if parsed.minutes:
            from services.model.factory import build_model_client

            with exit_on_error():
                model = build_model_client(settings)

        def processor(data: bytes, *, filename: str, progress: Any) -> Any:
            return process_meeting(
                data, filename=filename, options=parsed, settings=settings, model=model, progress=progress
            )

    from services.meetings.batch import find_recordings

    total = len(find_recordings(in_dir))
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn()
    ) as bars:
        overall = bars.add_task("全部 · all", total=total)
        tasks: dict[str, Any] = {}
        lock = threading.Lock()

        class Observer:
            def started(self, source: str) -> None:
                with lock:
                    tasks[source] = bars.add_task(source, total=1.0)

            def progressed(self, source: str, share: float, message: str) -> None:
                bars.update(tasks[source], completed=share, description=f"{source} · {message}")

            def finished(self, source: str, *, ok: bool, skipped: bool) -> None:
                if skipped:
                    state = "跳过 skipped"
                elif ok:
                    state = "完成 done"
                else:
                    state = "失败 failed"
                bars.update(tasks[source], completed=1.0, description=f"{source} · {state}")
                bars.advance(overall)

        report = run_batch(in_dir, out, process=processor, workers=workers, observer=Observer())
    if closer is not None:
        closer()

    typer.echo(f"完成 done {len(report.done)} · 跳过 skipped {len(report.skipped)} · 失败 failed {len(report.failed)}")
    for failure in report.failed:
        typer.secho(f"{failure['source']}: {failure['zh']} · {failure['en']}", err=True, fg=typer.colors.RED)
    if report.failed:
        typer.echo(f"失败报告 · failure report: {out / 'failures.json'}", err=True)
        raise typer.Exit(code=1)
