"""Health check and security headers."""
from __future__ import annotations


def test_healthz_reports_the_database(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_every_page_sends_the_security_headers(client) -> None:
    for path in ("/", "/auth/login", "/healthz", "/nowhere"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]


def test_api_paths_answer_json_errors(client) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_unexpected_errors_answer_500_in_the_error_shape_without_details(app, client) -> None:
    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/v1/_boom", "boom", boom)
    app.add_url_rule("/_boom", "boom_page", boom)
    response = client.get("/api/v1/_boom")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert "secret internals" not in response.get_data(as_text=True)
    page = client.get("/_boom")
    assert page.status_code == 500 and "Something went wrong" in page.get_data(as_text=True)
    assert "secret internals" not in page.get_data(as_text=True)
