"""The translation catalogues on disk: where they are, how they are built and checked.

Qt-free (the PySide6 tools run as subprocesses), so that the unit tests and the Makefile's
``translations`` target can use it without starting Qt. ``ui.qt.i18n`` is the command line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from desktop.resources import resource_path

LANGUAGES = ("zh_CN", "en")
CATALOGUE = "hall_counter"
QT_SOURCES = Path(__file__).resolve().parent

# Python str.format fields and Qt's %1-style arguments.
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\d+")


def translations_dir() -> Path:
    """Folder of the .ts sources and the built .qm files."""
    return resource_path("translations")


def catalogue_file(language: str, suffix: str, directory: Path | None = None) -> Path:
    """Path of one language's catalogue, e.g. ``hall_counter_zh_CN.qm``."""
    return (directory or translations_dir()) / f"{CATALOGUE}_{language}{suffix}"


def tool(name: str) -> str:
    """A PySide6 tool from this interpreter's venv (or PATH as a last resort)."""
    candidate = Path(sys.executable).with_name(name)
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found beside {sys.executable} or on PATH")
    return found


def source_files() -> list[Path]:
    """The Python files whose tr()/translate() strings go into the catalogues."""
    return sorted(p for p in QT_SOURCES.rglob("*.py") if "__pycache__" not in p.parts)


def update(ts_dir: Path | None = None) -> list[Path]:
    """Refresh the .ts catalogues from the sources (keeps translations, drops obsolete ones).

    New strings arrive as unfinished entries; translate them (Qt Linguist, or by hand) before
    committing: the catalogue test fails on any unfinished entry.
    """
    ts_dir = ts_dir or translations_dir()
    ts_dir.mkdir(parents=True, exist_ok=True)
    files = [str(p) for p in source_files()]
    updated = []
    for language in LANGUAGES:
        ts = catalogue_file(language, ".ts", ts_dir)
        command = [
            tool("pyside6-lupdate"),
            *files,
            "-locations",
            "none",
            "-no-obsolete",
            "-source-language",
            "en",
            "-target-language",
            language,
            "-ts",
            str(ts),
        ]
        subprocess.run(command, check=True, capture_output=True, text=True)
        updated.append(ts)
    return updated


def build(out_dir: Path | None = None, ts_dir: Path | None = None) -> list[Path]:
    """Compile every .ts catalogue into a .qm file (in ``out_dir``, default beside the .ts)."""
    ts_dir = ts_dir or translations_dir()
    out_dir = out_dir or ts_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for language in LANGUAGES:
        ts = catalogue_file(language, ".ts", ts_dir)
        qm = catalogue_file(language, ".qm", out_dir)
        command = [tool("pyside6-lrelease"), str(ts), "-qm", str(qm)]
        subprocess.run(command, check=True, capture_output=True, text=True)
        built.append(qm)
    return built


def messages(ts: Path) -> list[tuple[str, str, str, str | None]]:
    """``(context, source, translation, type)`` of every entry of a .ts file."""
    entries = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            text = (translation.text or "") if translation is not None else ""
            kind = translation.get("type") if translation is not None else "missing"
            entries.append((name, message.findtext("source") or "", text, kind))
    return entries


def catalogue_problems(ts: Path) -> list[str]:
    """Entries of one .ts file that are unfinished, empty, or whose placeholders differ."""
    problems = []
    for context, source, text, kind in messages(ts):
        where = f"{ts.name} {context}: {source!r}"
        if kind in ("unfinished", "obsolete", "vanished", "missing"):
            problems.append(f"{where} is {kind}")
        elif not text.strip():
            problems.append(f"{where} has an empty translation")
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"{where} placeholders differ in {text!r}")
    return problems
