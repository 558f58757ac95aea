"""The self-test's checks that need nothing outside the process, and the log files.

The checks that reach pcscd or a central over HTTP are in
tests/integration/test_diagnostics_selftest.py.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import logfiles, selftest
from desktop.selftest import CHECK_NAMES, CheckResult, SelfTestOptions, SelfTestReport

REPO = Path(__file__).resolve().parents[2]


def options(tmp_path: Path, **kw) -> SelfTestOptions:
    data_dir = kw.pop("data_dir", tmp_path / "data")
    return SelfTestOptions(data_dir=data_dir, key_dir=tmp_path / "keys", **kw)


# --- report shape ----------------------------------------------------------------------------


def test_report_json_has_the_documented_shape():
    report = SelfTestReport(
        (
            CheckResult("disk", True, "ok", "plenty"),
            CheckResult("camera", False, "no_camera", "none", "plug one in"),
        )
    )
    data = json.loads(report.dumps())
    assert data["ok"] is False
    assert [set(c) for c in data["checks"]] == [{"name", "ok", "code", "detail", "fix"}] * 2
    assert report.check("camera").fix == "plug one in"
    assert SelfTestReport((CheckResult("disk", True, "ok", "plenty"),)).ok is True


def test_a_crashing_check_fails_alone_and_the_others_still_run(tmp_path, monkeypatch):
    def broken(_options):
        raise RuntimeError("boom")

    monkeypatch.setattr(selftest, "check_disk", broken)
    monkeypatch.setattr(selftest, "check_pcsc", broken)
    # Keep the run inside the process: no PC/SC, no camera, no network.
    report = selftest.run_self_test(options(tmp_path, training=True))
    assert [c.name for c in report.checks] == list(CHECK_NAMES)
    assert report.check("disk").code == "check_failed"
    assert report.check("pcsc_service").code == "check_failed"
    assert report.check("readers").code == "check_failed"
    assert report.check("data_dir").ok
    assert report.ok is False


# --- config ----------------------------------------------------------------------------------


def test_config_check_reports_the_settings_error(tmp_path):
    result = selftest.check_config(
        options(tmp_path, config_path=Path("/etc/x.toml"), config_error="central.url: is required")
    )
    assert (result.ok, result.code) == (False, "config_invalid")
    assert "central.url: is required" in result.detail
    assert "docs/configuration.md" in result.fix


def test_config_check_without_a_file_passes_as_not_configured(tmp_path):
    result = selftest.check_config(options(tmp_path))
    assert (result.ok, result.code) == (True, "not_configured")


# --- data directory and disk -----------------------------------------------------------------


def test_missing_data_dir_under_a_writable_folder_is_creatable(tmp_path):
    result = selftest.check_data_dir(options(tmp_path, data_dir=tmp_path / "a" / "b"))
    assert (result.ok, result.code) == (True, "data_dir_creatable")
    assert not (tmp_path / "a").exists(), "the check must not create anything"


def test_data_dir_under_a_file_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = selftest.check_data_dir(options(tmp_path, data_dir=blocker / "data"))
    assert (result.ok, result.code) == (False, "data_dir_not_writable")


def test_data_dir_that_is_a_file_fails(tmp_path):
    target = tmp_path / "data"
    target.write_text("x")
    result = selftest.check_data_dir(options(tmp_path, data_dir=target))
    assert (result.ok, result.code) == (False, "data_dir_not_directory")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_world_readable_data_dir_fails_with_chmod_fix(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    result = selftest.check_data_dir(options(tmp_path, data_dir=data_dir))
    assert (result.ok, result.code) == (False, "data_dir_world_readable")
    assert f"chmod 700 {data_dir}" in result.fix

    data_dir.chmod(0o700)
    result = selftest.check_data_dir(options(tmp_path, data_dir=data_dir))
    assert (result.ok, result.code) == (True, "ok")
    assert list(data_dir.iterdir()) == [], "the write probe is removed again"


def test_disk_check_fails_below_the_minimum(tmp_path):
    assert selftest.check_disk(options(tmp_path, min_free_bytes=1)).ok
    result = selftest.check_disk(options(tmp_path, min_free_bytes=1 << 62))
    assert (result.ok, result.code) == (False, "disk_low")
    assert "--data-dir" in result.fix


# --- key store -------------------------------------------------------------------------------


def test_keyring_check_says_key_file_when_no_keyring(tmp_path):
    # conftest selects keyring's "fail" backend: no usable OS keyring.
    result = selftest.check_keyring(options(tmp_path))
    assert (result.ok, result.code) == (True, "key_file")
    assert "no usable OS keyring" in result.detail
    assert str(tmp_path / "keys") in result.detail


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_keyring_check_fails_on_a_loose_key_file(tmp_path):
    from desktop.crypto import DataKeyStore

    opts = options(tmp_path)
    store = DataKeyStore(opts.data_dir, key_dir=opts.key_dir)
    store.load_or_create()
    assert selftest.check_keyring(opts).code == "key_file"
    store.key_file.chmod(0o644)
    result = selftest.check_keyring(opts)
    assert (result.ok, result.code) == (False, "key_file_permissions")
    assert "chmod 600" in result.fix


def test_keyring_check_uses_the_outbox_folder(tmp_path):
    from desktop.crypto import DataKeyStore

    opts = options(tmp_path, outbox_dir=tmp_path / "data" / "training")
    DataKeyStore(opts.outbox_dir, key_dir=opts.key_dir).load_or_create()
    assert "key file" in selftest.check_keyring(opts).detail
    assert "will be created" not in selftest.check_keyring(opts).detail
    assert "will be created" in selftest.check_keyring(options(tmp_path)).detail


def test_key_dir_inside_the_data_dir_fails(tmp_path):
    opts = SelfTestOptions(data_dir=tmp_path / "data", key_dir=tmp_path / "data" / "keys")
    result = selftest.check_keyring(opts)
    assert (result.ok, result.code) == (False, "key_dir_inside_data_dir")


# --- face models and camera ------------------------------------------------------------------


def test_face_models_found_without_importing_dlib():
    code = (
        "import sys; from pathlib import Path; from desktop import selftest\n"
        "r = selftest.check_face_models(selftest.SelfTestOptions(data_dir=Path('.')))\n"
        "heavy = [m for m in ('dlib', '_dlib_pybind11', 'face_recognition', "
        "'face_recognition_models', 'PySide6') if m in sys.modules]\n"
        "print(r.ok, r.code, heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True ok []"


def _fake_models_package(root: Path, files: dict[str, bytes]) -> None:
    package = root / "face_recognition_models"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for name, data in files.items():
        (package / "models" / name).write_bytes(data)


def test_missing_or_empty_model_files_fail(tmp_path, monkeypatch):
    files = {name: b"x" for name in selftest.FACE_MODEL_FILES}
    files["shape_predictor_68_face_landmarks.dat"] = b""
    del files["mmod_human_face_detector.dat"]
    _fake_models_package(tmp_path / "site", files)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "face_recognition_models", raising=False)
    importlib.invalidate_caches()
    result = selftest.check_face_models(options(tmp_path))
    assert (result.ok, result.code) == (False, "face_models_damaged")
    assert "mmod_human_face_detector.dat missing" in result.detail
    assert "shape_predictor_68_face_landmarks.dat empty" in result.detail


def test_missing_face_library_fails(tmp_path, monkeypatch):
    real = selftest._find_spec
    monkeypatch.setattr(selftest, "_find_spec", lambda n: None if n == "pkg_resources" else real(n))
    result = selftest.check_face_models(options(tmp_path))
    assert (result.ok, result.code) == (False, "face_library_missing")
    assert "pkg_resources" in result.detail


def test_training_camera_is_the_sample_photos(tmp_path):
    result = selftest.check_camera(options(tmp_path, training=True))
    assert (result.ok, result.code) == (True, "training_photos")
    assert "5 sample photos" in result.detail


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux device nodes")
def test_camera_missing_device_says_no_camera(tmp_path):
    result = selftest.check_camera(options(tmp_path, camera_index=97))
    assert (result.ok, result.code) == (False, "no_camera")
    assert "/dev/video97" in result.detail
    assert result.fix


# --- proxy -----------------------------------------------------------------------------------


@pytest.fixture
def no_proxy_env(monkeypatch):
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    return monkeypatch


def _with_proxy(proxy: str | None):
    from desktop.settings import settings_from_dict

    central = {"url": "https://central.example"}
    if proxy is not None:
        central["proxy"] = proxy
    return settings_from_dict(
        {"central": central, "workstation": {"hall_id": "H1", "id": "W1", "secret": "s"}}
    )


def test_proxy_check_reports_the_configured_proxy_without_credentials(tmp_path, no_proxy_env):
    settings = _with_proxy("http://alice:s3cret@proxy.hall.example:3128")
    result = selftest.check_proxy(options(tmp_path, settings=settings))
    assert (result.ok, result.code) == (True, "via_proxy")
    assert "proxy.hall.example:3128" in result.detail
    assert "s3cret" not in result.detail and "alice" not in result.detail


def test_proxy_variables_of_the_environment_are_reported_as_ignored(tmp_path, no_proxy_env):
    no_proxy_env.setenv("HTTPS_PROXY", "http://proxy.hall.example:3128")
    result = selftest.check_proxy(options(tmp_path, central_url="https://central.example"))
    assert (result.ok, result.code) == (True, "direct")
    assert "ignored from the environment: https" in result.detail


def test_loopback_central_through_a_proxy_fails(tmp_path, no_proxy_env):
    settings = _with_proxy("http://proxy.hall.example:3128")
    result = selftest.check_proxy(
        options(tmp_path, settings=settings, central_url="http://127.0.0.1:8000")
    )
    assert (result.ok, result.code) == (False, "proxy_loopback")
    assert "central.proxy" in result.fix


def test_no_check_shows_a_password_in_a_url(tmp_path, no_proxy_env):
    # A central URL given on the command line, with credentials, behind a proxy with its own.
    settings = _with_proxy("http://puser:ProxyPassw0rd@proxy.hall.example:3128")
    result = selftest.check_proxy(
        options(tmp_path, settings=settings, central_url="http://cuser:CentralPassw0rd@127.0.0.1:8")
    )
    assert result.code == "proxy_loopback"
    shown = json.dumps(result.to_json())
    assert "Passw0rd" not in shown and "127.0.0.1:8" in shown
    made = selftest.CheckResult("x", False, "y", "see https://u:Secret1@h/", "open http://v:S2@h")
    assert "Secret1" not in made.detail and "S2@" not in made.fix


def test_no_proxy_and_no_central(tmp_path, no_proxy_env):
    result = selftest.check_proxy(options(tmp_path))
    assert (result.ok, result.code, result.detail) == (True, "not_configured", "proxy: none")


def test_the_proxy_is_shown_without_its_credentials():
    assert selftest.mask_url("http://u:p@h:3128") == "http://***@h:3128"
    assert selftest.mask_url("http://h:3128") == "http://h:3128"


# --- PC/SC and clock wording -----------------------------------------------------------------


def test_pcsc_fix_is_worded_per_platform(tmp_path):
    linux = selftest._pcsc_fix(options(tmp_path, platform="linux"))
    windows = selftest._pcsc_fix(options(tmp_path, platform="win32"))
    assert "systemctl enable --now pcscd" in linux
    assert '"Smart Card" service' in windows and "SCardSvr" in windows


def test_clock_check_limits():
    start = 1_000_000.0
    date = "Mon, 12 Jan 1970 13:46:40 GMT"  # 1_000_000
    assert selftest._clock_check(date, start, start + 0.1, 120).code == "ok"
    late = selftest._clock_check(date, start + 600, start + 600.1, 120)
    assert (late.ok, late.code) == (False, "clock_skew")
    assert "600 s ahead of" in late.detail
    assert selftest._clock_check(None, start, start, 120).code == "no_date_header"


def test_central_not_configured_passes_as_skipped(tmp_path):
    results = selftest.check_central(options(tmp_path))
    assert [(r.name, r.ok, r.code) for r in results] == [
        ("central", True, "not_configured"),
        ("tls", True, "not_configured"),
        ("clock", True, "not_configured"),
    ]


def test_missing_ca_bundle_fails_before_connecting(tmp_path):
    class S:
        central_url = "https://central.example"
        ca_bundle = tmp_path / "missing.pem"
        central_timeout = 1.0

    central, tls, _ = selftest.check_central(options(tmp_path, settings=S()))
    assert (tls.ok, tls.code) == (False, "ca_bundle_missing")
    assert central.ok is False


# --- the command's wiring --------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    from ui.commands import diagnostics
    from ui.commands import selftest as selftest_command

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--config", type=Path)
    parser.add_argument("--training", action="store_true")
    sub = parser.add_subparsers()
    selftest_command.register(sub)
    diagnostics.register(sub)
    return parser


def test_commands_register_and_parse(tmp_path):
    parser = _parser()
    args = parser.parse_args(["--data-dir", str(tmp_path), "self-test", "--json"])
    assert args.json and args.central is None and callable(args.handler)
    args = parser.parse_args(["diagnostics", "out.zip", "--central", "https://c.example"])
    assert args.file == Path("out.zip") and args.central == "https://c.example"


def test_bad_central_url_is_usage_error(tmp_path, capsys):
    args = _parser().parse_args(
        ["--data-dir", str(tmp_path), "self-test", "--central", "http://central.example"]
    )
    assert args.handler(args) == 2
    assert "plain http" in capsys.readouterr().err


def test_invalid_configuration_is_a_failed_check_not_a_crash(tmp_path):
    from ui.commands.selftest import build_options

    config = tmp_path / "hall-counter.toml"
    config.write_text('[central]\nurl = "https://c.example"\n', encoding="utf-8")
    args = _parser().parse_args(["--data-dir", str(tmp_path), "--config", str(config), "self-test"])
    opts = build_options(args)
    assert opts.settings is None
    assert "workstation.hall_id" in opts.config_error
    assert opts.outbox_dir == tmp_path / "training"


def test_text_report_lists_fixes_under_failures():
    from ui.commands.selftest import format_report

    text = format_report(
        SelfTestReport(
            (
                CheckResult("disk", True, "ok", "plenty"),
                CheckResult("camera", False, "no_camera", "none", "plug one in"),
            )
        )
    )
    assert text.splitlines()[0] == "self-test: 1 of 2 checks failed"
    assert "FAIL  camera" in text and "fix: plug one in" in text


def test_command_modules_import_light():
    code = (
        "import sys\n"
        "import ui.commands.selftest, ui.commands.diagnostics, desktop.selftest, "
        "desktop.diagnostics, desktop.logfiles\n"
        "print([m for m in ('PySide6', 'dlib', 'face_recognition', 'cv2') if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# --- log files -------------------------------------------------------------------------------


@pytest.fixture
def root_logging():
    """The root logger without the plain stderr handlers earlier tests left on it (their
    streams may be closed captures); everything is put back after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    leftovers = [h for h in handlers if type(h) is logging.StreamHandler]
    for handler in leftovers:
        root.removeHandler(handler)
    yield root
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in leftovers:
        root.addHandler(handler)
    for handler in handlers:
        for f in [f for f in handler.filters if isinstance(f, logfiles._StderrTopicFilter)]:
            handler.removeFilter(f)
    root.setLevel(level)


def _flush(path: Path) -> None:
    """Flush our file handler only (other tests may leave stale handlers on the root)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path:
            handler.flush()


def test_log_file_receives_info_user_only(tmp_path, root_logging):
    data_dir = tmp_path / "data"
    path = logfiles.attach_log_file(data_dir)
    assert path == (data_dir / "logs" / "hall-counter.log").resolve()
    assert logfiles.attach_log_file(data_dir) == path  # idempotent
    ours = [
        h
        for h in root_logging.handlers
        if isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path
    ]
    assert len(ours) == 1

    logging.getLogger("desktop.outbox").info("case %s queued", "W01-20260101-0001")
    logging.getLogger("desktop.outbox").debug("not at INFO")
    _flush(path)
    text = path.read_text(encoding="utf-8")
    assert "INFO desktop.outbox [MainThread]: case W01-20260101-0001 queued" in text
    assert "not at INFO" not in text
    if os.name == "posix":
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_stderr_stays_at_warning_plus_debug_topics(tmp_path, root_logging, capsys):
    stderr = logging.StreamHandler(sys.stderr)
    root_logging.addHandler(stderr)
    root_logging.setLevel(logging.WARNING)
    topic = logging.getLogger("devices.card")
    old_level = topic.level
    topic.setLevel(logging.DEBUG)  # as `--debug card` does
    try:
        logfiles.attach_log_file(tmp_path / "data")
        logging.getLogger("desktop.sync").info("quiet on stderr")
        logging.getLogger("desktop.sync").warning("loud on stderr")
        logging.getLogger("devices.card.apdu").debug("SELECT -> 9000")
    finally:
        topic.setLevel(old_level)
    err = capsys.readouterr().err
    assert "quiet on stderr" not in err
    assert "loud on stderr" in err
    assert "SELECT -> 9000" in err


def test_cli_stderr_handler_stays_quiet(tmp_path, root_logging, capsys):
    import ui.cli

    # configure_logging attaches the data directory's log file itself.
    ui.cli.configure_logging(argparse.Namespace(debug=[], data_dir=tmp_path / "data"))
    logging.getLogger("desktop.sync").info("lifecycle only in the file")
    logging.getLogger("desktop.sync").warning("a warning for stderr")
    err = capsys.readouterr().err
    assert "lifecycle only in the file" not in err
    assert "a warning for stderr" in err
    path = (logfiles.log_dir(tmp_path / "data") / logfiles.LOG_FILE_NAME).resolve()
    _flush(path)
    assert "lifecycle only in the file" in path.read_text(encoding="utf-8")


def test_log_file_rotates(tmp_path, root_logging, monkeypatch):
    monkeypatch.setattr(logfiles, "MAX_BYTES", 2000)
    logfiles.attach_log_file(tmp_path / "data")
    for i in range(200):
        logging.getLogger("desktop.sync").warning("line %d of the rotation test", i)
    files = logfiles.log_files(tmp_path / "data")
    assert [f.name for f in files][:3] == [
        "hall-counter.log",
        "hall-counter.log.1",
        "hall-counter.log.2",
    ]
    assert len(files) == logfiles.BACKUP_COUNT + 1


def test_log_file_redacts_id_numbers_and_tokens(tmp_path, root_logging):
    path = logfiles.attach_log_file(tmp_path / "data")
    try:
        raise ValueError("input_value='11010519621015001X' rejected")
    except ValueError:
        logging.getLogger("desktop.central").exception("call failed, Bearer abc.def-123")
    _flush(path)
    text = path.read_text(encoding="utf-8")
    assert "11010519621015001X" not in text and "abc.def-123" not in text
    assert "110105************" in text and "Bearer [redacted]" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ssn 110105196210150016.", "ssn 110105************."),
        ("old id 110105621015001", "old id 110105*********"),
        ("case C20261204000001 sent", "case C20261204000001 sent"),
        ("local W01-20261204-0001", "local W01-20261204-0001"),
        ("took 1234567 ms", "took 1234567 ms"),
        ("authorization: bearer eyJh.bc", "authorization: bearer [redacted]"),
    ],
)
def test_redact(text, expected):
    assert logfiles.redact(text) == expected
