"""The diagnostics archive an IT admin sends to support: ``hall-counter diagnostics FILE``.

A zip with:

- ``README.txt``: what the archive holds and what it leaves out;
- ``versions.json``: Hall Counter, Python, the operating system, the C library (glibc) and the
  versions of the key libraries (:data:`KEY_PACKAGES`);
- ``build-info.json``: when running from the installed bundle, what was built from which commit
  on which machine (installer/build_info.py);
- ``self-test.json``: the self-test's report (:mod:`desktop.selftest`);
- ``settings.json``: the configuration's non-secret values (central URL, hall and workstation
  ids, options), when a configuration is in use — never the workstation secret;
- ``outbox.json``: how many cases each outbox holds per state (no rows);
- ``logs/``: the rotating log files (:mod:`desktop.logfiles`).

Paths under the user's home folder are shown as ``~/…``: a desk's account may carry its
clerk's name.

No personal data, by design: nothing is taken from the outbox rows, the databases, the photos,
the key files or the configuration's secret, and the logs hold none (their policy is in
:mod:`desktop.logfiles`). The log files pass through :func:`desktop.logfiles.redact` once more on
the way into the archive. The archive is written user-only (0600) next to its final name and
renamed into place, so a half-written archive never appears under that name.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import platform
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from desktop.logfiles import log_files, redact
from desktop.settings import mask_url

log = logging.getLogger(__name__)

# The distributions whose versions matter when something goes wrong at a desk.
KEY_PACKAGES = (
    "hall-counter",
    "PySide6",
    "shiboken6",
    "pyscard",
    "face_recognition",
    "face_recognition_models",
    "dlib-bin",
    "numpy",
    "opencv-python-headless",
    "Pillow",
    "SQLAlchemy",
    "requests",
    "urllib3",
    "certifi",
    "cryptography",
    "gmssl",
    "keyring",
    "platformdirs",
    "pydantic",
    "fastapi",
    "uvicorn",
    "jsonschema",
    "setuptools",
)

README = """\
Hall Counter diagnostics archive
================================

Made by `hall-counter diagnostics` on {created} for support.

versions.json    Hall Counter, Python, operating system, C library and library versions
build-info.json  the installed bundle's build (only when running from the bundle)
self-test.json   the self-test's checks (`hall-counter self-test --json`)
settings.json    the configuration's non-secret values (only when a configuration is in use)
outbox.json      the number of queued cases per state, per outbox (no case contents)
logs/            the rotating log files of the data directory

What it does not hold: case contents, citizens' names, ID numbers, card numbers, PINs,
photos or face encodings, passwords, tokens, the workstation secret, key files, databases.
The logs never record personal data; they were also screened for ID-number-shaped values
and bearer tokens while this archive was made.
"""


@dataclass(frozen=True)
class DiagnosticsArchive:
    """What was written: the archive's path and its member names."""

    path: Path
    members: tuple[str, ...]
    size: int


def glibc_version() -> str | None:
    """The running C library's version, e.g. ``"glibc 2.36"``; None off glibc systems."""
    try:
        value = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, ValueError, OSError):
        value = None
    if value:
        return value
    name, version = platform.libc_ver()
    return f"{name} {version}" if name else None


def package_versions(names: Iterable[str] = KEY_PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution (None when it is not installed)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def os_release() -> dict[str, str]:
    """``/etc/os-release``'s NAME, VERSION_ID, ID and PRETTY_NAME (Linux; empty elsewhere)."""
    try:
        info = platform.freedesktop_os_release()
    except OSError:
        return {}
    return {k: info[k] for k in ("ID", "NAME", "VERSION_ID", "PRETTY_NAME") if k in info}


def collect_versions() -> dict[str, Any]:
    """Versions of everything that shapes how the desk behaves."""
    return {
        "hall_counter": package_versions(["hall-counter"])["hall-counter"],
        "frozen": bool(getattr(sys, "frozen", False)),
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
        },
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "version": platform.version(),
            "machine": platform.machine(),
            "platform": platform.platform(),
            "os_release": os_release(),
        },
        "libc": glibc_version(),
        "packages": package_versions(),
    }


def bundle_build_info() -> bytes | None:
    """The bundle's ``build-info.json`` (installer/build_info.py) when running from a bundle."""
    if not getattr(sys, "frozen", False):
        return None
    try:
        return (Path(sys.executable).resolve().parent / "build-info.json").read_bytes()
    except OSError:
        return None


def settings_summary(settings: Any) -> dict[str, Any]:
    """The configuration's values without the workstation secret, and without the proxy's
    credentials (paths as strings, sections as tables)."""
    skip = {"workstation_secret"}
    out: dict[str, Any] = {}
    for name in getattr(settings, "__dataclass_fields__", {}):
        if name in skip or "secret" in name or "password" in name or "token" in name:
            continue
        value = getattr(settings, name)
        if name in ("proxy", "central_url") and isinstance(value, str):
            value = mask_url(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        out[name] = str(value) if isinstance(value, Path) else value
    return out


def outbox_counts(outbox_dirs: Iterable[Path]) -> dict[str, Any]:
    """Per outbox folder: its counts by state, ``"absent"``, or an error code."""
    from desktop.errors import OutboxError
    from desktop.outbox import DB_NAME, open_readonly

    result: dict[str, Any] = {}
    for folder in outbox_dirs:
        folder = Path(folder)
        if not (folder / DB_NAME).exists():
            result[str(folder)] = "absent"
            continue
        try:
            with open_readonly(folder) as store:
                result[str(folder)] = store.counts()
        except OutboxError as exc:
            result[str(folder)] = {"error": exc.code}
        except Exception as exc:  # a damaged file must not stop the archive
            log.warning("diagnostics: could not count the outbox", exc_info=True)
            result[str(folder)] = {"error": type(exc).__name__}
    return result


def _home_hidden(text: str) -> str:
    """Show the user's home folder as ``~`` (an account may be named after its clerk)."""
    home = str(Path.home()).rstrip("/\\")
    if len(home) < 2:
        return text
    forms = {home}
    if "\\" in home:
        forms.add(home.replace("\\", "\\\\"))  # as it appears escaped inside JSON
    for form in forms:
        text = re.sub(re.escape(form) + r"(?=[\\/\"'\s:;,)]|$)", "~", text, flags=re.MULTILINE)
    return text


def _json(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    return _home_hidden(mask_url(text)).encode("utf-8")


def write_diagnostics(
    path: Path,
    data_dir: Path,
    *,
    self_test: dict[str, Any] | None,
    settings: Any = None,
    outbox_dirs: Iterable[Path] = (),
) -> DiagnosticsArchive:
    """Write the diagnostics zip to ``path`` and return what it holds.

    ``self_test`` is the report's JSON (``SelfTestReport.to_json()``); ``settings`` the loaded
    configuration or None; ``outbox_dirs`` the outbox folders whose counts to include. Raises
    OSError when the archive cannot be written.
    """
    path = Path(path)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    entries: list[tuple[str, bytes]] = [
        ("README.txt", README.format(created=created).encode("utf-8")),
        ("versions.json", _json(collect_versions())),
        ("self-test.json", _json(self_test if self_test is not None else {"ok": None})),
    ]
    build_info = bundle_build_info()
    if build_info is not None:
        entries.append(("build-info.json", build_info))
    if settings is not None:
        entries.append(("settings.json", _json(settings_summary(settings))))
    entries.append(("outbox.json", _json(outbox_counts(outbox_dirs))))
    for log_file in log_files(data_dir):
        try:
            text = log_file.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            log.warning("diagnostics: cannot read %s: %s", log_file.name, exc.strerror)
            continue
        text = _home_hidden(mask_url(redact(text)))
        entries.append((f"logs/{log_file.name}", text.encode("utf-8")))

    fd, temp_name = tempfile.mkstemp(prefix=".diagnostics-", suffix=".zip", dir=path.parent)
    try:
        with (
            os.fdopen(fd, "wb") as handle,
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                archive.writestr(info, data)
        if os.name == "posix":
            os.chmod(temp_name, 0o600)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    size = path.stat().st_size
    log.info("diagnostics archive written: %d members, %d bytes", len(entries), size)
    return DiagnosticsArchive(path, tuple(name for name, _ in entries), size)
