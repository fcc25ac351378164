"""Board: a moderated comment and discussion service."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from config import Config, config_for

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | Mapping[str, Any] | str | None = None) -> Flask:
    """Build the application.

    ``config`` is a settings class, the name of one (``testing``...), or a mapping of
    overrides applied on top of the class that ``BOARD_ENV`` selects.
    """
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    if isinstance(config, type):
        app.config.from_object(config)
    elif isinstance(config, str) or config is None:
        app.config.from_object(config_for(config))
    else:
        overrides = dict(config)
        app.config.from_object(config_for(overrides.pop("BOARD_ENV", None)))
        app.config.update(overrides)
    if app.config["ENV_NAME"] == "production" and not app.config.get("SECRET_KEY"):
        raise RuntimeError("BOARD_SECRET_KEY must be set in production; refusing to start.")
    _prepare_database_settings(app)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]

    from . import cache, cli, errors, ratelimit, security
    from .extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    cache.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    ratelimit.init_app(app)  # first, so that floods are limited before any other check
    csrf.init_app(app)
    login_manager.init_app(app)
    errors.init_app(app)
    from . import deadline
    deadline.init_app(app)  # a request past REQUEST_TIMEOUT answers 503
    security.init_app(app)
    cli.init_app(app)
    from . import routing

    routing.init_app(app)  # bounded <int:...> ids, before the blueprints' routes exist

    from .admin.views import bp as admin_bp
    from .api import bp as api_bp
    from .auth.views import bp as auth_bp
    from .embed import bp as embed_bp
    from .moderation.views import bp as moderation_bp
    from .public.tokens import bp as tokens_bp
    from .public.actions import bp as actions_bp
    from .public.views import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(tokens_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(moderation_bp, url_prefix="/moderation")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(actions_bp)
    app.register_blueprint(embed_bp)  # /embed.js and /embed/... at the root
    # The API authenticates by bearer token only, never by cookie, so it needs no CSRF token.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.add_template_filter(_age, "age")

    from . import logs

    logs.init_app()
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return app


def _prepare_database_settings(app: Flask) -> None:
    """SQLite: create ``instance/`` for the default file and use WAL with a busy timeout."""
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        if uri.startswith("sqlite:///") and not uri.startswith("sqlite:///:memory:"):
            Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        # A file database cannot drop the connection: no ping before every request.
        options["pool_pre_ping"] = False
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", 15)
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _age(delta: Any) -> str:
    """A queue age in words: "3 minutes", "2 hours", "4 days"."""
    seconds = max(int(delta.total_seconds()), 0)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "less than a minute"
