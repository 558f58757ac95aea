"""Interface languages: the translators, the current language and the catalogue build.

Chinese (zh_CN) is the hall's language and the default; English is the second. Source strings in
the code are English; both catalogues (``resources/translations/hall_counter_zh_CN.ts`` and
``hall_counter_en.ts``) translate every one of them, and a test keeps them complete.

Command line (the Makefile's ``translations`` target runs ``build``)::

    python -m ui.qt.i18n update   # pyside6-lupdate: collect tr() strings from ui/qt into the .ts
    python -m ui.qt.i18n build    # pyside6-lrelease: compile the .ts files into .qm files
    python -m ui.qt.i18n check    # exit 1 when a catalogue has an unfinished or empty entry
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator, Signal

from ui.qt.catalogues import (
    LANGUAGES,
    build,
    catalogue_file,
    catalogue_problems,
    translations_dir,
    update,
)

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "zh_CN"

# Each language named in itself, so that anyone can find theirs whatever the current language.
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}

_current_language = DEFAULT_LANGUAGE


def current_language() -> str:
    """The interface language now in use ("zh_CN" or "en")."""
    return _current_language


def localized(value: object, language: str | None = None) -> str:
    """Pick the text for the current language from a localized value.

    Accepts a plain string, a mapping with ``zh_CN``/``en`` keys (JSON Schema titles in the
    service catalog) or an object with those attributes (``desktop.contract.LocalizedText``).
    """
    language = language or _current_language
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        text = value.get(language) or value.get(DEFAULT_LANGUAGE) or value.get("en")
        return str(text or "")
    text = getattr(value, language, None) or getattr(value, DEFAULT_LANGUAGE, None)
    return str(text or getattr(value, "en", "") or "")


# --- run time -------------------------------------------------------------------------------


class LanguageManager(QObject):
    """Installs the translators for the chosen language on the application.

    Lives in the GUI thread. Switching the language sends Qt's LanguageChange event to every
    widget (each one re-translates itself in ``changeEvent``) and emits ``language_changed``
    for the texts that come from data, such as service names.
    """

    language_changed = Signal(str)

    def __init__(self, app: QCoreApplication, *, qm_dir: Path | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._qm_dir = qm_dir or translations_dir()
        self._translators: list[QTranslator] = []
        self._language = ""

    @property
    def language(self) -> str:
        """The language now installed."""
        return self._language

    def set_language(self, language: str) -> bool:
        """Install ``language``; False when its catalogue could not be loaded."""
        global _current_language
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        if language == self._language:
            return True
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators = []

        ours = QTranslator(self)
        loaded = ours.load(str(catalogue_file(language, ".qm", self._qm_dir)))
        if loaded:
            self._app.installTranslator(ours)
            self._translators.append(ours)
        else:
            log.warning(
                "translation catalogue for %s not found in %s; run `python -m ui.qt.i18n build`",
                language,
                self._qm_dir,
            )

        # Qt's own strings (context menus, standard buttons) in the same language.
        qt_base = QTranslator(self)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if language != "en" and qt_base.load(f"qtbase_{language}", qt_dir):
            self._app.installTranslator(qt_base)
            self._translators.append(qt_base)

        self._language = language
        _current_language = language
        log.info("interface language %s", language)
        self.language_changed.emit(language)
        return loaded

    def close(self) -> None:
        """Remove this manager's translators from the application."""
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators = []
        self._language = ""


# --- command line ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``python -m ui.qt.i18n update|build|check``."""
    parser = argparse.ArgumentParser(
        prog="python -m ui.qt.i18n", description="Update, build or check the catalogues."
    )
    parser.add_argument("action", choices=("update", "build", "check"))
    parser.add_argument("--out", type=Path, default=None, help="folder for the .qm files (build)")
    args = parser.parse_args(argv)
    if args.action == "update":
        for ts in update():
            print(ts)
        return 0
    if args.action == "build":
        for qm in build(args.out):
            print(qm)
        return 0
    problems = [p for lang in LANGUAGES for p in catalogue_problems(catalogue_file(lang, ".ts"))]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
