"""The wheel (``uv build --wheel``) carries the resources and the migration scripts.

Built offline from uv's cache (hatchling is cached by ``uv sync``); about two seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _uv() -> str | None:
    found = shutil.which("uv")
    if found:
        return found
    script = REPO / "scripts" / "ensure-uv.sh"
    if script.exists():
        out = subprocess.run([str(script)], capture_output=True, text=True, timeout=120)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip().splitlines()[-1]
    return None


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    uv = _uv()
    if uv is None:
        pytest.skip("uv is not installed")
    out_dir = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "UV_OFFLINE": "1"}
    built = subprocess.run(
        [uv, "build", "--wheel", "--offline", "--out-dir", str(out_dir)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    [path] = out_dir.glob("hall_counter-*.whl")
    return path


def test_the_wheel_carries_every_resource(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    resources = REPO / "resources"
    expected = {
        "desktop/_resources/" + p.relative_to(resources).as_posix()
        for p in resources.rglob("*")
        if p.is_file()
    }
    missing = sorted(expected - names)
    assert not missing, f"not in the wheel: {missing[:10]}"
    for needed in (
        "services.json",
        "cards/c01.json",
        "sandbox/seed.json",
        "sandbox/faces/c01-ref.jpg",
        "styles/clerk.qss",
        # Built by `make translations` and git-ignored: force-include still takes them.
        "translations/hall_counter_zh_CN.qm",
        "translations/hall_counter_en.qm",
    ):
        assert f"desktop/_resources/{needed}" in names, needed


def test_the_wheel_carries_the_migration_scripts(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    scripts = REPO / "desktop" / "migrations"
    for path in scripts.rglob("*.py"):
        assert path.relative_to(REPO).as_posix() in names


def test_an_installed_wheel_finds_its_resources_and_migrations(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from desktop.resources import resource_path\n"
        "from desktop import migrations\n"
        "print(resource_path('services.json'))\n"
        "print(migrations.script_head('outbox'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "HALL_COUNTER_RESOURCES"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    services, head = out.stdout.splitlines()
    assert Path(services) == target / "desktop" / "_resources" / "services.json"
    assert Path(services).is_file()
    assert head == "outbox_0002"
