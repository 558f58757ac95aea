"""Both translation catalogues are complete, consistent with the code and with each other.

The catalogues are XML and pyside6-lupdate runs as a subprocess, so this needs no Qt.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui.qt import catalogues

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
LETTERS = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def entries():
    return {
        lang: catalogues.messages(catalogues.catalogue_file(lang, ".ts"))
        for lang in ("zh_CN", "en")
    }


def test_catalogue_tools_do_not_need_qt():
    # pytest-qt imports PySide6 into this process, so look from a fresh interpreter.
    code = "import sys, ui.qt.catalogues; sys.exit('PySide6' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO, timeout=60).returncode == 0


@pytest.mark.parametrize("language", catalogues.LANGUAGES)
def test_catalogue_is_complete_and_placeholders_match(language):
    ts = catalogues.catalogue_file(language, ".ts")
    assert catalogues.catalogue_problems(ts) == []


def test_both_catalogues_hold_the_same_strings(entries):
    keys = {
        lang: {(context, source) for context, source, _, _ in rows}
        for lang, rows in entries.items()
    }
    assert keys["zh_CN"] == keys["en"]
    assert len(keys["zh_CN"]) > 100


def test_chinese_catalogue_is_chinese(entries):
    # Every source with words in it gets Chinese words (placeholders and codes aside).
    untranslated = [
        source
        for _, source, text, _ in entries["zh_CN"]
        if LETTERS.search(catalogues.PLACEHOLDER.sub("", source)) and not CJK.search(text)
    ]
    assert untranslated == []


def test_training_mark_is_bilingual(entries):
    for lang, rows in entries.items():
        mark = next(text for context, source, text, _ in rows if source == "TRAINING")
        assert "培训模式" in mark and "TRAINING" in mark, lang


def test_placeholder_check_catches_a_mismatch(tmp_path):
    ts = tmp_path / "x.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1">'
        "<context><name>C</name>"
        "<message><source>Tries left: {count}</source>"
        "<translation>剩余 {n} 次</translation></message>"
        '<message><source>Sign in</source><translation type="unfinished"></translation></message>'
        "<message><source>Clear</source><translation> </translation></message>"
        "</context></TS>",
        encoding="utf-8",
    )
    problems = catalogues.catalogue_problems(ts)
    assert len(problems) == 3
    assert "placeholders differ" in problems[0]
    assert "unfinished" in problems[1]
    assert "empty" in problems[2]


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    # lupdate on a copy: a tr() string missing from the catalogue would arrive unfinished,
    # and one no longer in the code would be dropped.
    for language in catalogues.LANGUAGES:
        shutil.copy(catalogues.catalogue_file(language, ".ts"), tmp_path)
    catalogues.update(tmp_path)
    for language in catalogues.LANGUAGES:
        fresh = catalogues.messages(catalogues.catalogue_file(language, ".ts", tmp_path))
        committed = catalogues.messages(catalogues.catalogue_file(language, ".ts"))
        assert sorted(fresh) == sorted(committed), language
