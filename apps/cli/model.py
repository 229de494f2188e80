"""`xingchen model ...`: check that the configured model loads and how fast it runs."""

from __future__ import annotations

import time

import typer

from apps.cli.errors import exit_on_error

app = typer.Typer(help="模型 · The shared language model.", no_args_is_help=True)


@app.command()
def check(
    language: str = typer.Option("zh", "--lang", help="Prompt language: zh or en."),
    max_tokens: int = typer.Option(128, help="Tokens to generate for the speed figures."),
) -> None:
    """加载模型并测速 · Load the model; print load time, time to first token and tokens/s."""
    import services.core.messages  # noqa: F401
    from services.core.logging import configure_logging
    from services.core.prompts import render_prompt
    from services.core.settings import get_settings
    from services.model.factory import build_model_client

    settings = get_settings()
    configure_logging("WARNING")
    with exit_on_error():
        started = time.perf_counter()
        client = build_model_client(settings)
        client.load()
        load_seconds = time.perf_counter() - started

        prompt = render_prompt("model", "check", "en" if language == "en" else "zh")
        request_started = time.perf_counter()
        first_token_seconds: float | None = None
        pieces: list[str] = []
        stream = client.stream(prompt, max_tokens=max_tokens, temperature=0.0)
        for piece in stream:
            if first_token_seconds is None:
                first_token_seconds = time.perf_counter() - request_started
            pieces.append(piece)
        total_seconds = time.perf_counter() - request_started

    usage = stream.usage
    completion_tokens = usage.completion_tokens if usage else 0
    decode_seconds = total_seconds - (first_token_seconds or 0.0)
    tokens_per_second = (
        (completion_tokens - 1) / decode_seconds if completion_tokens > 1 and decode_seconds > 0 else 0.0
    )

    typer.echo(f"后端 backend:            {client.backend_name}")
    typer.echo(f"模型 model:              {client.model_name}")
    typer.echo(f"加载时间 load time:      {load_seconds:.2f} s")
    typer.echo(f"首字延迟 first token:    {(first_token_seconds or 0.0):.2f} s")
    typer.echo(
        f"生成速度 tokens/s:       {tokens_per_second:.1f} ({completion_tokens} tokens in {total_seconds:.2f} s)"
    )
    typer.echo(f"提示词 prompt tokens:    {usage.prompt_tokens if usage else 0}")
    typer.echo("输出 output:")
    typer.echo("".join(pieces))
