"""The installer's pieces that run in seconds: the ELF inspection and the .deb recipe.

Building the real bundle takes about a minute and its .deb several more, so `make test` does not
do it (docs/install.md records a measured build). Here the recipe packages a small stand-in
folder holding real ELF files, and the package is inspected with dpkg-deb; the maintainer
scripts run as dpkg would run them, with and without systemd.
"""

from __future__ import annotations

import os
import platform
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "installer"))

import elfcheck  # noqa: E402

DEB = REPO / "installer" / "deb"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF and dpkg")


def _real_elf() -> Path:
    """A real ELF program of this machine that links only against glibc."""
    return Path(os.path.realpath(shutil.which("true") or "/bin/true"))


def _dlib_extension() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("_dlib_pybind11")
    assert spec and spec.origin
    return Path(spec.origin)


def _make_stand_in(folder: Path) -> Path:
    bundle = folder / "hall-counter"
    (bundle / "_internal").mkdir(parents=True)
    shutil.copy2(_real_elf(), bundle / "hall-counter")
    shutil.copy2(_dlib_extension(), bundle / "_internal" / _dlib_extension().name)
    (bundle / "_internal" / "data.txt").write_text("not an ELF file")
    return bundle


@pytest.fixture
def stand_in_bundle(tmp_path) -> Path:
    """A folder shaped like dist/hall-counter: the program and a library in _internal."""
    return _make_stand_in(tmp_path)


# --- elfcheck --------------------------------------------------------------------------------


@linux_only
def test_floor_is_a_glibc_version_this_machine_satisfies(stand_in_bundle):
    floor = elfcheck.measure_floor(stand_in_bundle)
    assert floor.files == 2
    glibc = floor.versions["GLIBC_"]
    running = platform.libc_ver()[1]
    assert elfcheck.version_key(glibc) <= elfcheck.version_key(running)
    # dlib is C++: it needs libstdc++ from the system, so a GLIBCXX floor is measured too.
    assert "GLIBCXX_" in floor.versions


@linux_only
def test_needs_lists_system_libraries_not_shipped(stand_in_bundle):
    needs = elfcheck.system_needs(stand_in_bundle)
    assert "libstdc++.so.6" in needs
    assert not any(name.startswith(elfcheck.GLIBC_PARTS) for name in needs)
    # A library the bundle ships itself is not a system need.
    shutil.copy2(_dlib_extension(), stand_in_bundle / "_internal" / "libstdc++.so.6")
    assert "libstdc++.so.6" not in elfcheck.system_needs(stand_in_bundle)


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11.so.6", "libx11-6"),
        ("libgcc_s.so.1", "libgcc-s1"),
        ("libstdc++.so.6", "libstdc++6"),
    ],
)
def test_debian_package_naming(soname, package):
    assert elfcheck.debian_package_name(soname) == package


@linux_only
def test_floor_command_fails_above_max(stand_in_bundle):
    script = REPO / "installer" / "elfcheck.py"
    ok = subprocess.run(
        [sys.executable, str(script), "floor", str(stand_in_bundle), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    too_low = subprocess.run(
        [sys.executable, str(script), "floor", str(stand_in_bundle), "--max", "2.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert too_low.returncode == 1
    assert "is above 2.0" in too_low.stderr


# --- the .deb recipe -------------------------------------------------------------------------

needs_dpkg = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")


@pytest.fixture(scope="module")
def built_deb(tmp_path_factory) -> Path:
    """The recipe's package of the stand-in bundle (built once for this module)."""
    folder = tmp_path_factory.mktemp("deb")
    out = folder / "out"
    result = subprocess.run(
        [str(DEB / "build-deb.sh"), str(_make_stand_in(folder)), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, VERSION="9.8.7", DEB_REVISION="2", PYTHON=sys.executable),
    )
    assert result.returncode == 0, result.stderr
    package = Path(result.stdout.strip())
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True
    ).stdout.strip()
    assert package == out / f"hall-counter_9.8.7-2_{arch}.deb"
    return package


def _field(package: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", str(package), name], capture_output=True, text=True, check=True
    ).stdout.strip()


@linux_only
@needs_dpkg
def test_deb_control_fields(built_deb):
    assert _field(built_deb, "Package") == "hall-counter"
    assert _field(built_deb, "Version") == "9.8.7-2"
    depends = [d.strip() for d in _field(built_deb, "Depends").split(",")]
    assert depends[:2] == ["pcscd", "libpcsclite1"]
    assert depends[2].startswith("libc6 (>= 2.")
    assert "libstdc++6" in depends


@linux_only
@needs_dpkg
def test_deb_contents(built_deb):
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(built_deb)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    entries = {line.split()[-1] if "->" not in line else line.split()[-3]: line for line in listing}
    assert "./opt/hall-counter/hall-counter" in entries
    assert entries["./opt/hall-counter/hall-counter"].startswith("-rwxr-xr-x root/root")
    assert "./usr/bin/hall-counter -> /opt/hall-counter/hall-counter" in "\n".join(listing)
    for path in (
        "./usr/share/applications/hall-counter.desktop",
        "./usr/share/icons/hicolor/scalable/apps/hall-counter.svg",
        "./usr/share/icons/hicolor/256x256/apps/hall-counter.png",
        "./usr/share/doc/hall-counter/copyright",
        "./usr/share/doc/hall-counter/examples/config.toml",
        "./etc/hall-counter/",
    ):
        assert path in entries, path
    # The folder of the system-wide configuration, but no configuration of the package's own.
    etc = [name for name in entries if name.startswith("./etc/")]
    assert etc == ["./etc/", "./etc/hall-counter/"]
    assert all(" root/root " in line for line in listing)
    files = [line for line in listing if not line.startswith("l")]  # symlinks are always 777
    assert not any(line[5] == "w" or line[8] == "w" for line in files), "group/other write"


@linux_only
@needs_dpkg
def test_desktop_entry(built_deb, tmp_path):
    subprocess.run(["dpkg-deb", "-x", str(built_deb), str(tmp_path / "x")], check=True)
    entry = (tmp_path / "x/usr/share/applications/hall-counter.desktop").read_text("utf-8")
    lines = entry.splitlines()
    assert lines[0] == "[Desktop Entry]"
    for line in ("Type=Application", "Exec=hall-counter", "Icon=hall-counter", "Terminal=false"):
        assert line in lines
    assert "Exec=hall-counter --training" in lines


def _scripts(package: Path, folder: Path) -> Path:
    subprocess.run(["dpkg-deb", "--control", str(package), str(folder)], check=True)
    for name in ("postinst", "prerm", "postrm"):
        mode = (folder / name).stat().st_mode
        assert mode & stat.S_IXUSR, f"{name} is not executable"
        subprocess.run(["sh", "-n", str(folder / name)], check=True)
    return folder


def _recording_systemctl(folder: Path, fail_socket: bool = False) -> Path:
    """A systemctl on PATH that records its arguments (and fails for pcscd.socket if asked)."""
    folder.mkdir()
    log = folder / "calls"
    script = folder / "systemctl"
    fail = 'case "$*" in *pcscd.socket*) exit 1;; esac\n' if fail_socket else ""
    script.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n{fail}exit 0\n')
    script.chmod(0o755)
    return log


def _can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True
    )
    return probe.returncode == 0


def _with_systemd(running: bool, command: str, env: dict) -> subprocess.CompletedProcess:
    """Run ``command`` in a private mount namespace where systemd looks running or not:
    /run/systemd is replaced by an empty tmpfs, with ``system/`` in it when ``running``."""
    target = "/run/systemd" if Path("/run/systemd").is_dir() else "/run"
    setup = f"mount -t tmpfs tmpfs {target} && "
    if running:
        setup += "mkdir -p /run/systemd/system && "
    namespace = ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]
    return subprocess.run(
        [*namespace, "sh", "-c", setup + command],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


needs_unshare = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not _can_unshare(),
    reason="needs unshare with user and mount namespaces",
)


@linux_only
@needs_dpkg
@needs_unshare
def test_postinst_without_systemd_still_succeeds(built_deb, tmp_path):
    scripts = _scripts(built_deb, tmp_path / "control")
    calls = _recording_systemctl(tmp_path / "bin")
    env = dict(os.environ, PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    result = _with_systemd(False, f"{scripts / 'postinst'} configure", env)
    assert result.returncode == 0, result.stderr
    assert "systemd is not running" in result.stderr
    assert not calls.exists(), "systemctl must not be called without systemd"


@linux_only
@needs_dpkg
@needs_unshare
@pytest.mark.parametrize("socket_fails", [False, True])
def test_postinst_enables_pcscd_under_systemd(built_deb, tmp_path, socket_fails):
    scripts = _scripts(built_deb, tmp_path / "control")
    calls = _recording_systemctl(tmp_path / "bin", fail_socket=socket_fails)
    env = dict(os.environ, PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    result = _with_systemd(True, f"{scripts / 'postinst'} configure", env)
    assert result.returncode == 0, result.stderr
    expected = ["enable --now pcscd.socket"]
    if socket_fails:
        expected.append("enable --now pcscd.service")
    assert calls.read_text().splitlines() == expected


@linux_only
@needs_dpkg
@needs_unshare
def test_postinst_survives_systemctl_failing(built_deb, tmp_path):
    scripts = _scripts(built_deb, tmp_path / "control")
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "systemctl").write_text("#!/bin/sh\nexit 1\n")
    (folder / "systemctl").chmod(0o755)
    env = dict(os.environ, PATH=f"{folder}:{os.environ['PATH']}")
    result = _with_systemd(True, f"{scripts / 'postinst'} configure", env)
    assert result.returncode == 0, result.stderr
    assert "could not enable pcscd" in result.stderr


@linux_only
@needs_dpkg
def test_prerm_and_postrm_clean_up(built_deb, tmp_path):
    scripts = _scripts(built_deb, tmp_path / "control")
    for script, argument in (("prerm", "remove"), ("postrm", "remove"), ("prerm", "upgrade")):
        result = subprocess.run([str(scripts / script), argument], capture_output=True, text=True)
        assert result.returncode == 0, f"{script} {argument}: {result.stderr}"
