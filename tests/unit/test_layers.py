"""The layers of the design, enforced with import-linter contracts from pyproject.toml."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _our_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n.split(".")[0] in ("ui", "desktop", "devices")}


def test_sandbox_uses_only_the_contract_and_resources():
    """The reference central shares the API models with the desk, and nothing else."""
    allowed = ("desktop.contract", "desktop.resources")
    for path in sorted((REPO / "sandbox").rglob("*.py")):
        for name in _our_imports(path):
            assert name == "desktop" or name.startswith(allowed), f"{path.name} imports {name}"
