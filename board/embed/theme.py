"""Embed themes: a few whitelisted parameters turned into CSS variables with safe contrast.

Only values that pass these checks ever reach a stylesheet: colours are hex triplets,
fonts are a keyword or a plain family name. Colours that would make text hard to read
(WCAG contrast below 4.5:1 against the background) are replaced by readable ones.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

PARAMETERS = ("accent", "background", "text", "font")
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_FAMILY = re.compile(r"^[A-Za-z][A-Za-z0-9 -]{0,39}$")
FONT_STACKS = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    "sans-serif": '"Helvetica Neue", Arial, sans-serif',
    "serif": 'Georgia, "Times New Roman", serif',
    "monospace": 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
}
MIN_TEXT_CONTRAST = 4.5
MIN_UI_CONTRAST = 3.0

LIGHT = {"background": "#ffffff", "text": "#1f2328", "muted": "#59636e", "accent": "#0b5cad",
         "danger": "#a40e26", "ok": "#116329"}
DARK = {"background": "#0d1117", "text": "#e6edf3", "muted": "#9da7b3", "accent": "#6cb6ff",
        "danger": "#ff7b72", "ok": "#56d364"}


def parse_colour(value: str | None) -> str | None:
    """``#rrggbb`` in lower case for ``#rgb``/``#rrggbb`` (the ``#`` optional), else None."""
    if not isinstance(value, str):
        return None
    match = _HEX.match(value.strip())
    if not match:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits


def parse_font(value: str | None) -> str | None:
    """A font keyword (system, sans-serif, serif, monospace) or a plain family name, else None."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    if value.lower() in FONT_STACKS:
        return value.lower()
    return value if _FAMILY.match(value) else None


def parse_theme(args: Mapping[str, str]) -> dict[str, str]:
    """The valid theme parameters among ``args``, normalised; anything invalid is dropped."""
    parsers = {"accent": parse_colour, "background": parse_colour, "text": parse_colour,
               "font": parse_font}
    theme = {}
    for name, parse in parsers.items():
        value = parse(args.get(name))
        if value is not None:
            theme[name] = value
    return theme


def invalid_parameters(args: Mapping[str, str]) -> list[str]:
    """Names of theme parameters in ``args`` whose values are not acceptable."""
    valid = parse_theme(args)
    return [name for name in PARAMETERS if name in args and name not in valid]


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def mix(first: str, second: str, amount: float) -> str:
    """``first`` moved ``amount`` (0 to 1) of the way towards ``second``."""
    channels = [
        round(int(first[i:i + 2], 16) * (1 - amount) + int(second[i:i + 2], 16) * amount)
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in channels)


def _readable(candidates: list[str | None], background: str, minimum: float) -> str:
    """The first candidate with enough contrast, else black or white, whichever reads better."""
    for colour in candidates:
        if colour and contrast(colour, background) >= minimum:
            return colour
    return max(("#000000", "#ffffff"), key=lambda c: contrast(c, background))


@dataclass(frozen=True)
class Palette:
    """The resolved colours and font of one theme."""

    background: str
    text: str
    muted: str
    accent: str
    on_accent: str
    surface: str
    border: str
    field_border: str
    danger: str
    ok: str
    font: str


def palette(theme: Mapping[str, str]) -> Palette:
    """Resolve a parsed theme into readable colours."""
    background = theme.get("background", LIGHT["background"])
    base = DARK if luminance(background) < 0.18 else LIGHT
    text = _readable([theme.get("text"), base["text"]], background, MIN_TEXT_CONTRAST)
    muted = _readable([base["muted"], text], background, MIN_TEXT_CONTRAST)
    accent = _readable([theme.get("accent"), base["accent"], text], background, MIN_TEXT_CONTRAST)
    on_accent = max(("#ffffff", "#000000"), key=lambda c: contrast(c, accent))
    font = theme.get("font", "system")
    stack = FONT_STACKS.get(font) or f'"{font}", {FONT_STACKS["system"]}'
    return Palette(
        background=background, text=text, muted=muted, accent=accent, on_accent=on_accent,
        surface=mix(background, text, 0.05), border=mix(background, text, 0.2),
        field_border=_readable([mix(background, text, 0.55), muted], background, MIN_UI_CONTRAST),
        danger=_readable([base["danger"], text], background, MIN_TEXT_CONTRAST),
        ok=_readable([base["ok"], text], background, MIN_TEXT_CONTRAST),
        font=stack,
    )


def stylesheet(theme: Mapping[str, str]) -> str:
    """The CSS that sets the embed's variables for a parsed theme."""
    p = palette(theme)
    variables = {
        "font": p.font, "bg": p.background, "text": p.text, "muted": p.muted,
        "accent": p.accent, "on-accent": p.on_accent, "surface": p.surface,
        "border": p.border, "field-border": p.field_border, "danger": p.danger, "ok": p.ok,
    }
    lines = "".join(f"  --board-{name}: {value};\n" for name, value in variables.items())
    return f":root {{\n{lines}}}\n"
