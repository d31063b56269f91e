"""Emoji in article text: whether a colour emoji font is installed, and a hint which package gives one.

Qt asks fontconfig for a fallback per character, so with an emoji font installed a flag or a smiley
in the text is drawn in colour while every other character keeps the interface font. Nothing here
changes a font: putting the emoji font in the application font's families made Qt resolve the whole
interface to it (13-pixel spaces, windows three screens wide). With no emoji font installed at all,
emoji are drawn as empty boxes, and the hint says why.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

# Best first; the first is what Debian and Ubuntu ship as fonts-noto-color-emoji.
EMOJI_FAMILIES = ("Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "Twemoji", "JoyPixels",
                  "EmojiOne Color", "Symbola")
EMOJI_PACKAGE = "fonts-noto-color-emoji"
EMOJI_HINT = (f"Emoji in articles show as boxes: no emoji font is installed. On Debian or Ubuntu: "
              f"sudo apt-get install {EMOJI_PACKAGE}")


def installed_families() -> list[str]:
    return QFontDatabase.families()


def emoji_family(families: list[str]) -> str | None:
    """The emoji font fontconfig can fall back to, of those installed; None if there is none."""
    known = {family.lower(): family for family in families}
    for wanted in EMOJI_FAMILIES:
        if wanted.lower() in known:
            return known[wanted.lower()]
    return None


def installed_emoji_family() -> str | None:
    """The installed emoji font, or None (then the window shows :data:`EMOJI_HINT` once)."""
    return emoji_family(installed_families())
