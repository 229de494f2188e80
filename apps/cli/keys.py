"""`xingchen keys ...`: create, list and revoke API keys."""

from __future__ import annotations

import typer

from apps.cli.errors import exit_on_error

app = typer.Typer(help="API 密钥 · API keys.", no_args_is_help=True)


def _store():  # type: ignore[no-untyped-def]
    import services.core.messages  # noqa: F401
    from services.core.apikeys import ApiKeyStore
    from services.core.db import Database
    from services.core.settings import get_settings

    database = Database(get_settings().resolved_database_url)
    database.upgrade()
    return ApiKeyStore(database)


@app.command()
def create(
    name: str = typer.Argument(..., help="A label for the key, e.g. the portal or team that uses it."),
    services: str = typer.Option(
        "*",
        help="Comma-separated services the key may use (writing, knowledge, analytics, meetings, model) or * for all.",
    ),
) -> None:
    """创建密钥（只显示一次）· Create a key; it is printed once and stored only as a hash."""
    with exit_on_error():
        record, plaintext = _store().create(name, [item.strip() for item in services.split(",") if item.strip()])
    typer.echo(f"id: {record.id}")
    typer.echo(f"services: {', '.join(record.services)}")
    typer.echo(f"key: {plaintext}")
    typer.echo("请妥善保存此密钥，它不会再次显示。· Store this key now; it is not shown again.")


@app.command("list")
def list_keys() -> None:
    """列出密钥 · List keys (id, name, prefix, services, revoked)."""
    for record in _store().list_keys():
        revoked = f"revoked {record.revoked_at:%Y-%m-%d}" if record.revoked_at else "active"
        typer.echo(f"{record.id}  {record.name}  {record.prefix}…  {','.join(record.services)}  {revoked}")


@app.command()
def revoke(key_id: str = typer.Argument(..., help="The key's id from `xingchen keys list`.")) -> None:
    """吊销密钥 · Revoke a key."""
    with exit_on_error():
        _store().revoke(key_id)
    typer.echo(f"revoked {key_id}")
