"""Light and dark themes, and the colours that must follow them: the editor's author tints, the
demo banner and the context bar's free space. "system" keeps the platform's style and palette;
light and dark use Fusion, which draws every widget from the palette, so the whole window follows."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Tints:
    """Colours drawn over the palette, chosen to keep text readable on its background."""

    model_background: str  # behind the model's text, under the palette's text colour
    stream_background: str  # behind text still streaming in
    player_text: str  # the player's lines in adventures, on the palette's base colour
    banner_background: str
    banner_border: str
    banner_text: str
    model_speaker_text: str  # the model's name in the chat view, on the palette's base colour
    # Behind generated tokens by the probability they were drawn with (View → Colour by probability):
    # under 10 %, under 50 %, the rest; under the palette's text colour.
    unlikely_token: str = "#f6c9c4"
    uncertain_token: str = "#f7e4a8"
    likely_token: str = "#d3ecd0"
    # The context bar's room-left segment and its label.
    context_free: str = "#e3e3e3"
    context_free_text: str = "#555555"


LIGHT_TINTS = Tints("#eaf1fb", "#dfe9f7", "#2e6b30", "#fff4d6", "#e8d9a8", "#3b2f00", "#1f4e8c")
DARK_TINTS = Tints("#223449", "#2b4260", "#8fd694", "#4a3f1a", "#6b5b24", "#f5e6b8", "#9cc3f5",
                   "#6e2f2a", "#5c4b16", "#284a2a", context_free="#3a3a3a", context_free_text="#cfcfcf")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def tints_for(palette: QPalette) -> Tints:
    """The tints for a palette, the system's included (a dark desktop gets the dark tints)."""
    return DARK_TINTS if is_dark(palette) else LIGHT_TINTS


def banner_style(tints: Tints) -> str:
    return (f"#demoBanner {{ background: {tints.banner_background}; "
            f"border-bottom: 1px solid {tints.banner_border}; }} "
            f"#demoBanner QLabel {{ color: {tints.banner_text}; }}")


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#2b2b2b", roles.WindowText: "#e6e6e6", roles.Base: "#1e1e1e",
        roles.AlternateBase: "#2b2b2b", roles.Text: "#e6e6e6", roles.Button: "#353535",
        roles.ButtonText: "#e6e6e6", roles.BrightText: "#ff6b6b", roles.Highlight: "#3d6fb6",
        roles.HighlightedText: "#ffffff", roles.Link: "#8ab4f8", roles.LinkVisited: "#c58af9",
        roles.ToolTipBase: "#353535", roles.ToolTipText: "#e6e6e6", roles.PlaceholderText: "#9a9a9a",
        roles.Light: "#505050", roles.Midlight: "#404040", roles.Mid: "#303030", roles.Dark: "#1a1a1a",
        roles.Shadow: "#000000",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


_system: tuple[str, QPalette] | None = None  # the platform's style and palette, before any theme


def apply_theme(name: str) -> None:
    """Restyle the whole application; unknown names mean "system"."""
    global _system
    app = QApplication.instance()
    if _system is None:
        _system = (app.style().name(), QPalette(app.palette()))
    if name == "dark":
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(dark_palette())
    elif name == "light":
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(app.style().standardPalette())
    else:
        app.setStyle(QStyleFactory.create(_system[0]))
        app.setPalette(_system[1])
