"""A font that has Chinese glyphs, so that no text renders as empty boxes.

Desks run 统信UOS, 麒麟, Debian or Windows; each has a different CJK font. The first family of
``CJK_FAMILIES`` that the system has becomes the application font (its Latin glyphs are fine too,
and one family keeps mixed Chinese/English lines even).
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)


def find_cjk_family() -> str | None:
    """The preferred CJK family installed on this system, or None."""
    available = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in available:
            return family
    # Any other family that declares Simplified Chinese will do.
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    return chinese[0] if chinese else None


def install_cjk_font(app: QApplication, point_size: int = 11) -> str | None:
    """Make a CJK-capable family the application font; return its name (None if none found)."""
    family = find_cjk_family()
    font = QFont(app.font())
    if family is None:
        log.warning("no font with Chinese glyphs found; install fonts-wqy-microhei or Noto CJK")
    else:
        font.setFamilies([family, *[f for f in font.families() if f != family]])
        log.info("application font %s", family)
    font.setPointSize(point_size)
    app.setFont(font)
    return family
