"""Embed themes: strict validation of the parameters, readable colours, and the stylesheet."""
from __future__ import annotations

import re

import pytest

from board.embed import theme as themes

from .test_embed import HOST, site_thread


@pytest.mark.parametrize("value, parsed", [
    ("#0b5cad", "#0b5cad"), ("0B5CAD", "#0b5cad"), ("#abc", "#aabbcc"), (" #ABC ", "#aabbcc"),
    ("red", None), ("#12345", None), ("#1234567", None), ("#ggg", None), ("", None),
    ("#fff;}body{x:y", None), ("rgb(1,2,3)", None), ("var(--x)", None), (None, None),
])
def test_colours(value, parsed) -> None:
    assert themes.parse_colour(value) == parsed


@pytest.mark.parametrize("value, parsed", [
    ("serif", "serif"), ("Monospace", "monospace"), ("system", "system"),
    ("Source Sans 3", "Source Sans 3"), ("  Open   Sans ", "Open Sans"),
    ('Arial"; } body { display:none', None), ("Arial;", None), ("url(x)", None),
    ("a" * 41, None), ("3D", None), ("Comic\\Sans", None), ("", None),
])
def test_fonts(value, parsed) -> None:
    assert themes.parse_font(value) == parsed


def test_only_whitelisted_parameters_survive() -> None:
    theme = themes.parse_theme({"accent": "#aa0000", "background": "nope", "font": "serif",
                                "color": "#000000", "css": "body{}"})
    assert theme == {"accent": "#aa0000", "font": "serif"}
    assert themes.invalid_parameters({"accent": "x", "font": "serif", "other": "y"}) == ["accent"]


@pytest.mark.parametrize("theme", [
    {}, {"accent": "#ffff00"}, {"background": "#000000"}, {"background": "#777777"},
    {"background": "#ffffff", "text": "#eeeeee"}, {"background": "#102030", "accent": "#0b5cad"},
    {"background": "#fafafa", "text": "#111111", "accent": "#00aa00"},
])
def test_text_colours_always_have_enough_contrast(theme) -> None:
    p = themes.palette(theme)
    for colour in (p.text, p.muted, p.accent, p.danger, p.ok):
        assert themes.contrast(colour, p.background) >= 4.5, (theme, colour)
    assert themes.contrast(p.on_accent, p.accent) >= 4.5
    assert themes.contrast(p.field_border, p.background) >= 3


def test_readable_choices_are_kept() -> None:
    p = themes.palette({"accent": "#8b0000", "background": "#fffdf5", "text": "#222222"})
    assert (p.accent, p.background, p.text) == ("#8b0000", "#fffdf5", "#222222")
    dark = themes.palette({"background": "#111111"})
    assert dark.text == themes.DARK["text"] and dark.accent == themes.DARK["accent"]


def test_stylesheet_sets_the_variables() -> None:
    css = themes.stylesheet({"accent": "#8b0000", "font": "Source Sans 3"})
    assert "--board-accent: #8b0000;" in css
    assert '--board-font: "Source Sans 3", system-ui' in css


def test_theme_css_route(client) -> None:
    response = client.get("/embed/_/theme.css?accent=%238b0000&font=serif")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert "public" in response.headers["Cache-Control"]
    assert "--board-accent: #8b0000;" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["accent=red", "font=a%3Bb", "background=%23fff%7D", "text="])
def test_theme_css_refuses_invalid_values(client, query) -> None:
    response = client.get(f"/embed/_/theme.css?{query}")
    assert response.status_code == 400
    assert "--board" not in response.get_data(as_text=True)


def test_embed_links_the_theme_with_normalised_values_only(client, make) -> None:
    site_thread(make)
    html = client.get("/embed/post-1", query_string={
        "origin": HOST, "accent": "#ABC", "background": "</style><script>", "font": "serif",
    }).get_data(as_text=True)
    link = re.search(r'<link rel="stylesheet" href="(/embed/_/theme\.css[^"]*)"', html)
    assert link, html
    assert link.group(1) == "/embed/_/theme.css?accent=%23aabbcc&amp;font=serif"
    assert "<script>" not in html.replace('<script src=', '')


def test_embed_without_theme_links_no_theme(client, make) -> None:
    site_thread(make)
    html = client.get("/embed/post-1?accent=nope&font=x%3B").get_data(as_text=True)
    assert "theme.css" not in html
