"""`gaung` command line: run | api | worker | migrate | seed-demo | create-admin | openapi."""

from __future__ import annotations

import getpass
import json
import secrets
import sys
from typing import Annotated

import typer
import uvicorn
from cryptography.fernet import Fernet

from gaung.config import Settings, get_settings

app = typer.Typer(
    help="Gaung: social-media management for public-relations units.", no_args_is_help=True
)

HostOpt = Annotated[str, typer.Option(help="Address to listen on.")]
PortOpt = Annotated[int, typer.Option(help="Port to listen on.")]


def _serving_settings() -> Settings:
    """Settings for a server, with its keys resolved; a clear message instead of a traceback
    when they are unusable. The test suite's mode is never served."""
    try:
        settings = get_settings()
        if settings.env == "test":
            raise ValueError("GAUNG_ENV=test is for the test suite only; use development")
        return settings.with_secrets()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        typer.echo(f"gaung: {exc}", err=True)
        raise typer.Exit(2) from exc


def _serve(settings: Settings, host: str, port: int) -> None:
    from gaung.main import create_app

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False)


@app.command()
def run(host: HostOpt = "127.0.0.1", port: PortOpt = 8000) -> None:
    """The embedded app: SQLite under the data folder, demo data, API and web app on one port."""
    settings = _serving_settings()
    update: dict[str, object] = {"embedded": True}
    if "public_base_url" not in settings.model_fields_set:
        update["public_base_url"] = f"http://localhost:{port}"
    settings = settings.model_copy(update=update)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    from gaung.demo import demo_password_unchanged_sync
    from gaung.migrate import upgrade
    from gaung.seed import seed_demo_sync

    upgrade(settings.effective_database_url)
    created = seed_demo_sync(settings)
    shown = "localhost" if host in ("0.0.0.0", "::", "127.0.0.1") else host
    lines = [
        f"  Gaung is starting at http://{shown}:{port}",
        f"  Data: {settings.data_dir}{'  (demo data created)' if created else ''}",
    ]
    if host in ("0.0.0.0", "::"):
        lines.append(f"  Listening on all interfaces ({host}): reachable from the network.")
    if created or demo_password_unchanged_sync(settings):
        lines.append(f"  Demo login: {settings.demo_admin_email} / {settings.demo_admin_password}")
    typer.echo("\n" + "\n".join(lines) + "\n")
    if not (settings.spa_dir / "index.html").is_file():
        typer.echo(f"  The web app is not built ({settings.spa_dir}); only the API is served.\n")
    _serve(settings, host, port)


@app.command()
def api(host: HostOpt = "0.0.0.0", port: PortOpt = 8000) -> None:
    """Serve the API and the web app (production: run `gaung migrate` first)."""
    _serve(_serving_settings(), host, port)


@app.command()
def worker() -> None:
    """Run the scheduled jobs: publish due posts, reconcile, refresh tokens (stops on SIGTERM).
    Run as many as you like against PostgreSQL; each claims its own work."""
    import asyncio
    import logging

    from gaung.worker.runtime import run_worker

    settings = _serving_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Every run of every job is not news; failures still are.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    asyncio.run(run_worker(settings))


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from gaung.migrate import upgrade

    upgrade(get_settings().effective_database_url)
    typer.echo("database is up to date")


@app.command("seed-demo")
def seed_demo() -> None:
    """Add the demo unit, users, sandbox accounts and posts (once)."""
    from gaung.seed import seed_demo_sync

    settings = get_settings()
    if seed_demo_sync(settings):
        typer.echo(f"demo data created; login {settings.demo_admin_email}")
    else:
        typer.echo("demo data already present")


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True, help="Login email.")],
    name: Annotated[str, typer.Option(prompt=True, help="Display name.")],
    password: Annotated[
        str | None, typer.Option(help="Initial password (asked for when not given).")
    ] = None,
) -> None:
    """Create the instance administrator, who can create units and administers all of them."""
    from gaung.seed import create_admin_sync

    if password is None:
        password = getpass.getpass("Password (at least 10 characters): ")
    from gaung.auth.password_policy import check_password

    problem = check_password(password, email=email, name=name)
    if problem is not None:
        typer.echo(f"the password {problem.message} ({problem.code})", err=True)
        raise typer.Exit(2)
    try:
        create_admin_sync(get_settings(), email=email, name=name, password=password)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"administrator {email} created")


@app.command()
def openapi() -> None:
    """Print the OpenAPI document (the web app's types are generated from it)."""
    from gaung.main import create_app

    # The document does not depend on the keys: throwaway ones, so no key file is created.
    settings = get_settings().model_copy(
        update={
            "secret_key": secrets.token_urlsafe(48),
            "encryption_keys": Fernet.generate_key().decode(),
        }
    )
    json.dump(create_app(settings).openapi(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
