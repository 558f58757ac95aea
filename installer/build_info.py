"""Write ``build-info.json`` into a bundle: what was built, from which commit, on what.

    .venv/bin/python installer/build_info.py dist/hall-counter

The file sits beside the program (``dist/hall-counter/build-info.json``, installed as
``/opt/hall-counter/build-info.json``); ``hall-counter diagnostics`` copies it into its archive
when it runs from a bundle. It holds the version, the git commit (and whether the tree had
uncommitted changes), the build time, the build machine's system, architecture and C library,
Python's version, and the measured C-library floor of the bundle (installer/elfcheck.py).
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from elfcheck import measure_floor  # noqa: E402


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def build_info(bundle: Path) -> dict:
    """The facts recorded for ``bundle``."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    status = _git("status", "--porcelain", "--untracked-files=no")
    info = {
        "name": project["name"],
        "version": project["version"],
        "commit": _git("rev-parse", "HEAD"),
        "modified": bool(status) if status is not None else None,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_system": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }
    if sys.platform.startswith("linux"):
        try:
            release = platform.freedesktop_os_release().get("PRETTY_NAME")
        except OSError:
            release = None
        floor = measure_floor(bundle)
        info.update(
            {
                "build_os": release,
                "build_libc": platform.libc_ver()[1] or None,
                "glibc_floor": floor.versions.get("GLIBC_"),
                "glibcxx_floor": floor.versions.get("GLIBCXX_"),
            }
        )
    return info


def main(argv: list[str] | None = None) -> int:
    """Write the file and print it."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: build_info.py BUNDLE_DIR", file=sys.stderr)
        return 2
    bundle = Path(args[0])
    info = build_info(bundle)
    (bundle / "build-info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
