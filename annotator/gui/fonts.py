"""Emoji in article text: a colour emoji font as fallback, or a hint which package gives one.

Qt falls back through fontconfig, but with no emoji font installed at all a flag or a smiley is
drawn as an empty box, and nothing says why.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

# Best first; the first is what Debian and Ubuntu ship as fonts-noto-color-emoji.
EMOJI_FAMILIES = ("Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "Twemoji", "JoyPixels",
                  "EmojiOne Color", "Symbola")
EMOJI_PACKAGE = "fonts-noto-color-emoji"
EMOJI_HINT = (f"Emoji in articles show as boxes: no emoji font is installed. On Debian or Ubuntu: "
              f"sudo apt-get install {EMOJI_PACKAGE}")


def installed_families() -> list[str]:
    return QFontDatabase.families()


def emoji_family(families: list[str]) -> str | None:
    """The emoji font to fall back to, of those installed; None if there is none."""
    known = {family.lower(): family for family in families}
    for wanted in EMOJI_FAMILIES:
        if wanted.lower() in known:
            return known[wanted.lower()]
    return None


def with_emoji_fallback(font: QFont, family: str | None) -> QFont:
    """``font`` with ``family`` after its own families, for characters it lacks."""
    if family is None or family in font.families():
        return font
    font = QFont(font)
    font.setFamilies([*(font.families() or [font.family()]), family])
    return font


def install_emoji_fallback() -> str | None:
    """Give the application font an emoji fallback; the family used, or None if none is installed."""
    family = emoji_family(installed_families())
    app = QApplication.instance()
    if family is not None and app is not None:
        QApplication.setFont(with_emoji_fallback(app.font(), family))
    return family
