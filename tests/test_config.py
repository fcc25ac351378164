"""Settings from the environment."""
from __future__ import annotations

import pytest

import config
from board import create_app


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(RuntimeError, match="BOARD_SECRET_KEY"):
        create_app({"BOARD_ENV": "production", "SECRET_KEY": "",
                    "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_with_a_key_uses_secure_cookies() -> None:
    app = create_app({"BOARD_ENV": "production", "SECRET_KEY": "k" * 40,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("raw, expected", [("true", True), ("0", False), ("No", False),
                                           ("", True), (None, True)])
def test_flags(monkeypatch, raw, expected) -> None:
    if raw is None:
        monkeypatch.delenv("BOARD_X", raising=False)
    else:
        monkeypatch.setenv("BOARD_X", raw)
    assert config.env_flag("BOARD_X", True) is expected


def test_bad_values_are_named(monkeypatch) -> None:
    monkeypatch.setenv("BOARD_X", "maybe")
    with pytest.raises(ValueError, match="BOARD_X"):
        config.env_flag("BOARD_X", True)
    with pytest.raises(ValueError, match="BOARD_ENV"):
        config.config_for("staging")


def test_environment_selects_the_class(monkeypatch) -> None:
    monkeypatch.setenv("BOARD_ENV", "testing")
    assert config.config_for() is config.TestingConfig
    monkeypatch.delenv("BOARD_ENV")
    assert config.config_for() is config.DevelopmentConfig


def test_behind_a_proxy_the_client_address_is_the_forwarded_one() -> None:
    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "PROXY_COUNT": 1})
    seen = {}

    @app.get("/probe")
    def probe():  # type: ignore[no-untyped-def]
        from flask import request
        seen["addr"] = request.remote_addr
        return "ok"

    app.test_client().get("/probe", headers={"X-Forwarded-For": "203.0.113.7"},
                          environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert seen["addr"] == "203.0.113.7"
