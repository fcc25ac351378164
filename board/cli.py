"""Command line: ``flask --app wsgi board <command>`` or the ``board`` script (SPEC 6)."""
from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, ScriptInfo

from . import accounts
from .errors import BoardError
from .extensions import db
from .models import Site
from .timeutil import utcnow
from .vocabulary import Role

board_cli = AppGroup("board", help="Manage Board: database, accounts, sites, threads.")


def init_app(app: Flask) -> None:
    """Register the ``board`` command group."""
    app.cli.add_command(board_cli)


def main() -> None:
    """Entry point of the ``board`` console script."""
    from . import create_app

    board_cli.main(obj=ScriptInfo(create_app=lambda: create_app()), prog_name="board")


def _fail(message: str) -> click.ClickException:
    return click.ClickException(message)


@board_cli.command("init")
def init_command() -> None:
    """Create or migrate the database to the newest revision."""
    from flask_migrate import upgrade

    upgrade()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


def _read_password() -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        password: str = click.prompt(
            "Password", hide_input=True, confirmation_prompt=True
        )
        return password
    password = sys.stdin.readline().rstrip("\r\n")
    confirmation = sys.stdin.readline().rstrip("\r\n")
    if password != confirmation:
        raise _fail("The two passwords on standard input do not match.")
    return password


@board_cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value,
              show_default=True)
@click.option("--name", help="Display name (default: the part of the address before @).")
def create_user_command(email: str, role: str, name: str | None) -> None:
    """Create an account; the password comes from a prompt or two lines on stdin."""
    password = _read_password()
    try:
        user = accounts.create_user(email, name or email.split("@")[0], password, role,
                                    now=utcnow())
    except BoardError as error:
        raise _fail(error.message) from None
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


@board_cli.command("token")
@click.argument("email")
@click.option("--label", default="command line", show_default=True)
def token_command(email: str, label: str) -> None:
    """Print a new API token for an account."""
    user = accounts.find_by_email(email)
    if user is None:
        raise _fail(f"No account has the e-mail address {email}.")
    token, row = accounts.issue_token(user, utcnow(), current_app.config["TOKEN_LIFETIME"], label)
    click.echo(token)
    click.echo(f"Expires {row.expires_at:%Y-%m-%d %H:%M} UTC.", err=True)


@board_cli.command("create-site")
@click.argument("name")
@click.option("--origin", "origins", multiple=True, required=True,
              help="An origin allowed to embed this site's threads; repeat for several.")
def create_site_command(name: str, origins: tuple[str, ...]) -> None:
    """Create a site and the origins allowed to embed its threads."""
    from .admin.service import register_site

    try:
        site = register_site(name, list(origins), False, None, utcnow())
    except BoardError as error:
        raise _fail(error.message) from None
    click.echo(f"Created site {site.name!r} (id {site.id}) for "
               f"{', '.join(o.origin for o in site.origins)}.")


@board_cli.command("create-thread")
@click.argument("key")
@click.option("--title", required=True)
@click.option("--url", required=True)
@click.option("--site", "site_name", help="The site this thread belongs to.")
def create_thread_command(key: str, title: str, url: str, site_name: str | None) -> None:
    """Create a thread."""
    from .threads import create_thread

    site = None
    if site_name:
        site = db.session.scalar(sa.select(Site).where(Site.name == site_name))
        if site is None:
            raise _fail(f"There is no site named {site_name!r}.")
    try:
        thread = create_thread(key, title, url, site=site, now=utcnow(), audit_as="thread.create")
    except BoardError as error:
        raise _fail(error.message) from None
    click.echo(f"Created thread {thread.key!r}: /t/{thread.key}")


@board_cli.command("demo")
def demo_command() -> None:
    """Load a sample site, threads, members, staff and comments in every state."""
    from .demo import SIGN_INS, load_demo

    created = load_demo(utcnow())
    click.echo("Demo data loaded." if created else "Demo data already present.")
    click.echo("Demo sign-ins (e-mail / password):")
    for role, email, password in SIGN_INS:
        click.echo(f"  {role:<10} {email:<28} {password}")
