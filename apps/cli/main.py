"""The `xingchen` command: serve the suite, check the model, manage API keys."""

from __future__ import annotations

import importlib

import typer

from apps.cli import keys, model
from apps.cli.errors import exit_on_error
from apps.cli.ports import check_port_free
from apps.cli.usage_errors import run

app = typer.Typer(
    help="星辰套件命令行 · Xingchen Suite command line.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(model.app, name="model")
app.add_typer(keys.app, name="keys")

# Each service adds its subcommands in `apps/cli/<service>.py` as a Typer app named `app`.
for _service in ("writing", "knowledge", "analytics", "meetings"):
    try:
        _module = importlib.import_module(f"apps.cli.{_service}")
    except ModuleNotFoundError as _error:
        if _error.name != f"apps.cli.{_service}":
            raise
        continue
    app.add_typer(_module.app, name=_service)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Address to bind; defaults to XINGCHEN_HOST."),
    port: int | None = typer.Option(None, help="Port to listen on; defaults to XINGCHEN_PORT."),
) -> None:
    """启动网关 · Start the gateway (all services and the OpenAI-compatible API)."""
    import uvicorn

    from services.core.settings import get_settings

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    with exit_on_error():
        check_port_free(host, port)
    uvicorn.run(
        "apps.gateway.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_config=None,
        # One process: the embedded model lives in its memory. Scale out with
        # several gateway processes, Celery workers and a model server.
        workers=1,
    )


@app.command()
def worker(
    concurrency: int | None = typer.Option(None, help="Jobs run at once; defaults to XINGCHEN_JOB_WORKERS."),
) -> None:
    """启动任务执行进程 · Start a Celery worker that runs jobs from XINGCHEN_BROKER_URL."""
    from services.core.celery_jobs import app as celery_app
    from services.core.logging import configure_logging
    from services.core.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, json_format=settings.log_json)
    # Threads share one loaded model; a prefork pool would load it once per process.
    celery_app.worker_main(
        [
            "worker",
            "--pool=threads",
            f"--concurrency={concurrency or settings.job_workers}",
            f"--queues={settings.job_queue}",
            "--without-gossip",
            "--without-mingle",
            f"--loglevel={settings.log_level}",
        ]
    )


@app.command()
def config(
    env_example: bool = typer.Option(
        False, "--env-example", help="Print defaults in .env format (what deploy/xingchen.env.example contains)."
    ),
) -> None:
    """列出全部设置项 · List every setting: environment variable, current value and description."""
    from services.core.settings import Settings, get_settings, render_env_example

    if env_example:
        typer.echo(render_env_example(), nl=False)
        return

    settings = get_settings()
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        display_value = "********" if "key" in name and value else value
        typer.echo(f"XINGCHEN_{name.upper()}={display_value}")
        typer.echo(f"    {field.description}")


@app.command("db-upgrade")
def db_upgrade() -> None:
    """升级数据库结构 · Migrate the database to the newest schema."""
    from services.core.db import Database
    from services.core.settings import get_settings

    settings = get_settings()
    Database(settings.resolved_database_url).upgrade()
    typer.echo("数据库已是最新结构 · database schema is up to date")


def main() -> None:
    run(app)


if __name__ == "__main__":
    main()
