"""Every error code the desk's own stores and its central client raise has a sentence of its
own, in Chinese and English. The codes are read from the sources (each ``SomethingError("code",
...)`` call), so a new code without a sentence fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from test_card_messages import assert_translated, chinese, unknown_desk_code  # noqa: F401

from ui.qt import messages

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("outbox.py", "crypto.py", "sync.py", "audit.py", "central.py")
CODE = re.compile(r"[a-z][a-z0-9_]+")


def raised_codes() -> list[str]:
    found = set()
    for name in SOURCES:
        tree = ast.parse((REPO / "desktop" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            callee = getattr(node.func, "id", None) or getattr(node.func, "attr", None) or ""
            first = node.args[0]
            if (
                callee.endswith("Error")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and CODE.fullmatch(first.value)
            ):
                found.add(first.value)
    return sorted(found)


CODES = raised_codes()


def test_the_codes_are_found():
    assert {"outbox_missing", "data_key_mismatch", "passphrase_wrong", "timeout"} <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_every_store_and_central_code_has_a_message(chinese, code):  # noqa: F811
    error = type("DeskError", (Exception,), {})()
    error.code = code
    assert_translated(messages.error_text(error), chinese, code, generic=unknown_desk_code)
