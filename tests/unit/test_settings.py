"""Settings from TOML: validation errors name the key and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.settings import Settings, SettingsError, check_central_url, load_settings, mask_url


def ca_pem() -> str:
    """A self-signed CA certificate (PEM) as an administrator would install."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hall CA")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


GOOD = """
[central]
url = "https://central.hall.example:8443/"
timeout = 5

[workstation]
hall_id = "H0001"
id = "W01"
secret = "s3cret"

[desk]
language = "en"
crypto_suite = "national"
card_grace_seconds = 30
face_threshold = 0.55

[outbox]
retention_days = 14
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hall-counter.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_configuration_loads(tmp_path: Path):
    settings = load_settings(write(tmp_path, GOOD))
    assert settings == Settings(
        central_url="https://central.hall.example:8443",
        hall_id="H0001",
        workstation_id="W01",
        workstation_secret="s3cret",
        central_timeout=5.0,
        face_threshold=0.55,
        crypto_suite="national",
        language="en",
        card_grace_seconds=30.0,
        outbox_retention_days=14,
    )
    assert "s3cret" not in repr(settings)


def test_defaults_and_secret_file(tmp_path: Path):
    (tmp_path / "w01.secret").write_text("from-file\n", encoding="utf-8")
    (tmp_path / "ca.pem").write_text(ca_pem(), encoding="utf-8")
    settings = load_settings(
        write(
            tmp_path,
            '[central]\nurl = "https://c.example"\nca_bundle = "ca.pem"\n'
            '[workstation]\nhall_id = "H1"\nid = "W9"\nsecret_file = "w01.secret"\n',
        )
    )
    assert settings.workstation_secret == "from-file"
    assert settings.ca_bundle == (tmp_path / "ca.pem").resolve()
    assert settings.crypto_suite == "international"
    assert settings.language == "zh_CN"
    assert settings.card_grace_seconds == 60.0
    assert settings.training is False


@pytest.mark.parametrize(
    ("edit", "key", "problem"),
    [
        (
            lambda t: t.replace('url = "https://central.hall.example:8443/"\n', ""),
            "central.url",
            "required",
        ),
        (lambda t: t.replace('id = "W01"', "id = 7"), "workstation.id", "string"),
        (lambda t: t.replace('language = "en"', 'langauge = "en"'), "desk.langauge", "unknown"),
        (lambda t: t.replace('language = "en"', 'language = "fr"'), "desk.language", "zh_CN"),
        (lambda t: t.replace('"national"', '"rot13"'), "desk.crypto_suite", "international"),
        (
            lambda t: t.replace("card_grace_seconds = 30", "card_grace_seconds = true"),
            "desk.card_grace_seconds",
            "number",
        ),
        (
            lambda t: t.replace("retention_days = 14", "retention_days = 0"),
            "outbox.retention_days",
            "between",
        ),
        (lambda t: t.replace("https://central", "http://central"), "central.url", "loopback"),
        (
            lambda t: t.replace("https://central.hall.example:8443/", "ftp://x"),
            "central.url",
            "http(s)",
        ),
        (
            lambda t: t.replace('secret = "s3cret"', 'secret = "s3cret"\nsecret_file = "x"'),
            "workstation.secret",
            "exactly one",
        ),
        (lambda t: t + "\n[extras]\nx = 1\n", "extras", "unknown section"),
        (
            lambda t: t.replace('hall_id = "H0001"', 'hall_id = "H 1/2"'),
            "workstation.hall_id",
            "letters",
        ),
    ],
)
def test_errors_name_the_key(tmp_path: Path, edit, key: str, problem: str):
    with pytest.raises(SettingsError) as info:
        load_settings(write(tmp_path, edit(GOOD)))
    assert info.value.key == key
    assert problem in str(info.value)
    assert str(info.value).startswith(key)


def test_invalid_toml_and_missing_file(tmp_path: Path):
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(write(tmp_path, "[central\n"))
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(tmp_path / "absent.toml")


def test_plain_http_only_on_loopback():
    assert check_central_url("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert check_central_url("http://localhost:1") == "http://localhost:1"
    assert check_central_url("http://[::1]:1") == "http://[::1]:1"
    with pytest.raises(SettingsError):
        check_central_url("http://10.0.0.1")


def test_security_table_is_read_and_validated(tmp_path):
    """[security] reaches Settings.security; a bad value names its key."""
    from desktop.settings import SettingsError, settings_from_dict

    data = {
        "central": {"url": "http://127.0.0.1:8765"},
        "workstation": {"id": "W01", "hall_id": "H0001", "secret": "s" * 24},
        "security": {"offline_days": 3, "max_failures": 4},
    }
    settings = settings_from_dict(data)
    assert settings.security.offline_days == 3
    assert settings.security.max_failures == 4

    data["security"] = {"offline_days": "soon"}
    with pytest.raises(SettingsError) as caught:
        settings_from_dict(data)
    assert str(caught.value).startswith("security.offline_days")


# --- TLS, proxy, kiosk, camera ------------------------------------------------------------------

BASE = (
    '[central]\nurl = "https://c.example"\n[workstation]\nhall_id = "H1"\nid = "W9"\nsecret = "s"\n'
)


def test_client_certificate_proxy_kiosk_and_camera(tmp_path: Path):
    (tmp_path / "desk.pem").write_text("cert", encoding="utf-8")
    (tmp_path / "desk.key").write_text("key", encoding="utf-8")
    (tmp_path / "desk.key").chmod(0o600)
    (tmp_path / "pictures").mkdir()
    text = BASE.replace(
        "[workstation]",
        'client_cert = "desk.pem"\nclient_key = "desk.key"\n'
        'proxy = "http://user:pw@proxy.hall.example:3128"\n[workstation]',
    )
    text += (
        "[kiosk]\nidle_seconds = 90\ncountdown_seconds = 15\nshuffled_keypad = true\n"
        'speech = false\nprinter = "Hall printer 2"\n'
        '[camera]\nsource = "pictures"\nmirror = true\nwidth = 1280\nheight = 720\n'
    )
    settings = load_settings(write(tmp_path, text))
    assert settings.client_cert == (tmp_path / "desk.pem").resolve()
    assert settings.client_key == (tmp_path / "desk.key").resolve()
    assert settings.proxy == "http://user:pw@proxy.hall.example:3128"
    assert "pw@" not in repr(settings)
    assert settings.camera.source == (tmp_path / "pictures").resolve()
    assert (settings.camera.mirror, settings.camera.width, settings.camera.height) == (
        True,
        1280,
        720,
    )
    options = settings.kiosk_options()
    assert (options.idle_seconds, options.still_there_seconds) == (90.0, 15.0)
    assert (options.keypad, options.speech, options.printer) == (
        "shuffled",
        False,
        "Hall printer 2",
    )


def test_camera_device_index_and_defaults(tmp_path: Path):
    settings = load_settings(write(tmp_path, BASE + '[camera]\nsource = "1"\n'))
    assert settings.camera.source == 1 and settings.camera.width is None
    defaults = load_settings(write(tmp_path, BASE))
    assert defaults.camera.source is None and defaults.proxy is None
    assert defaults.kiosk_options().keypad == "fixed"
    assert (
        load_settings(
            write(tmp_path, BASE.replace("[workstation]", 'proxy = "none"\n[workstation]'))
        ).proxy
        is None
    )


@pytest.mark.parametrize(
    ("extra", "key", "problem"),
    [
        ('[central]\nclient_cert = "absent.pem"\n', "central.client_cert", "no such file"),
        ('[central]\nclient_key = "k"\n', "central.client_key", "needs central.client_cert"),
        ('[central]\nproxy = "socks5://p:1080"\n', "central.proxy", "http(s) proxy"),
        ('[central]\nproxy = "http://p:99999"\n', "central.proxy", "port"),
        ("[central]\nproxy = 3128\n", "central.proxy", "string"),
        ("[kiosk]\nidle_seconds = 1\n", "kiosk.idle_seconds", "between 5 and 3600"),
        ("[kiosk]\ncountdown_seconds = true\n", "kiosk.countdown_seconds", "number"),
        ('[kiosk]\nshuffled_keypad = "yes"\n', "kiosk.shuffled_keypad", "true or false"),
        ("[kiosk]\nvolume = 3\n", "kiosk.volume", "unknown key"),
        ('[kiosk]\nprinter = "a\\tb"\n', "kiosk.printer", "control"),
        ("[camera]\nsource = -1\n", "camera.source", "between 0 and 63"),
        ('[camera]\nsource = "no-such.mp4"\n', "camera.source", "no such video file"),
        ("[camera]\nwidth = 640\n", "camera.height", "together"),
        ("[camera]\nwidth = 8\nheight = 8\n", "camera.width", "between 16 and 8192"),
        ('[camera]\nmirror = "yes"\n', "camera.mirror", "true or false"),
    ],
)
def test_new_keys_are_validated_with_the_key_named(tmp_path: Path, extra, key, problem):
    text = BASE
    if extra.startswith("[central]"):
        text = BASE.replace("[workstation]", extra.removeprefix("[central]\n") + "[workstation]")
    else:
        text = BASE + extra
    with pytest.raises(SettingsError) as info:
        load_settings(write(tmp_path, text))
    assert info.value.key == key
    assert problem in str(info.value)


def test_a_client_key_readable_by_everyone_is_refused(tmp_path: Path):
    (tmp_path / "desk.pem").write_text("cert", encoding="utf-8")
    (tmp_path / "desk.key").write_text("key", encoding="utf-8")
    (tmp_path / "desk.key").chmod(0o644)
    text = BASE.replace(
        "[workstation]", 'client_cert = "desk.pem"\nclient_key = "desk.key"\n[workstation]'
    )
    with pytest.raises(SettingsError) as info:
        load_settings(write(tmp_path, text))
    assert info.value.key == "central.client_key" and "chmod 600" in info.value.problem


# --- where the file is found --------------------------------------------------------------------


def test_system_config_paths_per_platform():
    from pathlib import PurePosixPath, PureWindowsPath

    from desktop.settings import system_config_path

    assert system_config_path("linux", {}) == PurePosixPath("/etc/hall-counter/config.toml")
    assert system_config_path("win32", {"ProgramData": r"D:\ProgramData"}) == PureWindowsPath(
        r"D:\ProgramData\HallCounter\config.toml"
    )
    assert system_config_path("win32", {}) == PureWindowsPath(
        r"C:\ProgramData\HallCounter\config.toml"
    )
    assert system_config_path("linux", {"HALL_COUNTER_SYSTEM_CONFIG": "/x/c.toml"}) == Path(
        "/x/c.toml"
    )


def test_the_system_config_is_used_when_the_user_has_none(tmp_path: Path, monkeypatch):
    from desktop import settings as settings_module
    from ui.commands import selftest as selftest_command

    user = tmp_path / "user" / "hall-counter.toml"
    system = tmp_path / "etc" / "config.toml"
    monkeypatch.setattr(settings_module, "user_config_path", lambda: user)
    monkeypatch.setenv("HALL_COUNTER_SYSTEM_CONFIG", str(system))
    # Neither: the user's file, where the first-run screen saves.
    assert settings_module.default_config_path() == user
    system.parent.mkdir()
    system.write_text(BASE, encoding="utf-8")
    assert settings_module.default_config_path() == system
    # The CLI's self-test and the window use the same rule.
    assert selftest_command.default_config_path() == system
    user.parent.mkdir()
    user.write_text(BASE, encoding="utf-8")
    assert settings_module.default_config_path() == user


def test_the_window_uses_the_same_default_path():
    import ui.qt.main as qt_main
    from desktop import settings as settings_module

    assert qt_main.default_config_path is settings_module.default_config_path


# --- the documented example ---------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]


def _documented_example() -> str:
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    start = text.index("```toml\n", text.index("## Example")) + len("```toml\n")
    return text[start : text.index("```", start)]


def test_the_documented_example_loads_and_covers_every_key(tmp_path: Path):
    import tomllib

    from desktop.settings import _SCHEMA

    example = _documented_example()
    assert example == (REPO / "docs" / "config-example.toml").read_text(encoding="utf-8")
    data = tomllib.loads(example)
    # The files it names, as an administrator would put them beside it.
    for name in ("central-ca.pem", "desk.pem", "w01.secret"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "central-ca.pem").write_text(ca_pem(), encoding="utf-8")
    (tmp_path / "desk.key").write_text("x", encoding="utf-8")
    (tmp_path / "desk.key").chmod(0o600)
    settings = load_settings(write(tmp_path, example))
    assert settings.hall_id == "H0001" and settings.client_key is not None
    # Every key of the schema appears in the example (secret and secret_file are exclusive:
    # the example uses secret_file) and in the documentation's tables.
    docs = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for section, keys in _SCHEMA.items():
        for key in keys:
            assert f"| `{key}` |" in docs.split(f"### `[{section}]`")[1].split("\n### ")[0], (
                f"{section}.{key} is not documented"
            )
            if (section, key) != ("workstation", "secret"):
                assert key in data[section], f"{section}.{key} is not in the example"
    assert "security" in data


def test_the_diagnostics_summary_hides_the_secret_and_the_proxy_credentials(tmp_path: Path):
    import json

    from desktop.diagnostics import settings_summary

    text = BASE.replace(
        "[workstation]", 'proxy = "http://alice:pw1@proxy.hall.example:3128"\n[workstation]'
    ).replace('secret = "s"', 'secret = "top-secret-value"')
    summary = settings_summary(load_settings(write(tmp_path, text + "[kiosk]\nspeech = false\n")))
    dumped = json.dumps(summary, default=str)
    assert summary["proxy"] == "http://***@proxy.hall.example:3128"
    assert "pw1" not in dumped and "alice" not in dumped and "top-secret-value" not in dumped
    assert summary["kiosk"]["speech"] is False


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://[::1", "not a valid URL"),
        ("https://central.example:99999", "not a valid URL"),
        ("https://central.example:http", "not a valid URL"),
        ("https://central.example:0", "invalid port"),
        ("https://central.example/\nx", "control characters"),
    ],
)
def test_urls_that_cannot_be_used_are_refused_with_the_key(url, problem):
    with pytest.raises(SettingsError) as caught:
        check_central_url(url)
    assert caught.value.key == "central.url" and problem in caught.value.problem


@pytest.mark.parametrize(
    "url", ["https://cuser:Secret1@central.example", "https://token@central.example/v1"]
)
def test_central_url_with_credentials_is_refused(url):
    # The desk signs in with its workstation secret: credentials in the URL would replace it.
    with pytest.raises(SettingsError) as caught:
        check_central_url(url)
    assert "user name or password" in caught.value.problem
    assert "Secret1" not in str(caught.value)


def test_a_password_in_a_url_never_reaches_an_error_message():
    with pytest.raises(SettingsError) as caught:
        check_central_url("ftp://admin:S3cretPw@central.example")
    assert "S3cretPw" not in str(caught.value)
    assert mask_url("http://admin:S3cretPw@127.0.0.1:8/v1") == "http://***@127.0.0.1:8/v1"
    assert mask_url("http://token@127.0.0.1:8") == "http://***@127.0.0.1:8"
    assert mask_url("http://[::1") == "http://[::1"
    assert mask_url("https://a.example/p@q") == "https://a.example/p@q"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # A password holding "@": everything up to the host goes.
        ("http://u:p@ss@proxy:3128", "http://***@proxy:3128"),
        # Text that does not parse as a URL (a bad port, a broken IPv6 host).
        ("http://u:Secret1@proxy:99999", "http://***@proxy:99999"),
        ("https://u:Secret1@[::1:8/v1", "https://***@[::1:8/v1"),
        # A proxy written without a scheme.
        ("u:Secret1@proxy.hall.example:3128", "***@proxy.hall.example:3128"),
        # Every URL inside a message or a log line.
        (
            "cannot reach https://a:Secret1@c.example/v1 via http://b:Secret2@p:3128 (timeout)",
            "cannot reach https://***@c.example/v1 via http://***@p:3128 (timeout)",
        ),
        # Nothing to hide: unchanged.
        ("clerk01@H0001 signed in", "clerk01@H0001 signed in"),
        ("https://central.example/v1/cases?ref=a@b", "https://central.example/v1/cases?ref=a@b"),
    ],
)
def test_one_mask_for_urls_in_values_messages_and_logs(text, shown):
    assert mask_url(text) == shown
    assert "Secret" not in mask_url(text)


def _config(tmp_path: Path, central: str = "", workstation: str = 'hall_id = "H1"') -> Path:
    return write(
        tmp_path,
        f'[central]\nurl = "https://c.example"\n{central}\n'
        f'[workstation]\nid = "W1"\n{workstation}\nsecret = "s"\n',
    )


def test_a_ca_bundle_that_is_not_pem_certificates_is_refused(tmp_path: Path):
    (tmp_path / "ca.pem").write_text("not a certificate\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(_config(tmp_path, 'ca_bundle = "ca.pem"'))
    assert caught.value.key == "central.ca_bundle"
    (tmp_path / "ca.pem").write_text(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", encoding="utf-8"
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(_config(tmp_path, 'ca_bundle = "ca.pem"'))
    assert caught.value.key == "central.ca_bundle"


def test_ids_are_plain_ascii(tmp_path: Path):
    with pytest.raises(SettingsError) as caught:
        load_settings(_config(tmp_path, workstation='hall_id = "大厅"'))
    assert caught.value.key == "workstation.hall_id"


def test_a_secret_file_that_is_not_utf8_is_a_settings_error(tmp_path: Path):
    (tmp_path / "w.secret").write_bytes(b"\xff\xfe\x00bad")
    config = write(
        tmp_path,
        '[central]\nurl = "https://c.example"\n'
        '[workstation]\nhall_id = "H1"\nid = "W1"\nsecret_file = "w.secret"\n',
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    assert caught.value.key == "workstation.secret_file"


def test_every_security_key_is_documented_in_a_table():
    import dataclasses

    from desktop.auth import SecurityPolicy

    docs = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    section = docs.split("### `[security]`")[1].split("\n## ")[0]
    names = {f.name for f in dataclasses.fields(SecurityPolicy)} - {"cosign_reasons"}
    for key in (*names, "cosign_reason"):
        assert f"| `{key}` |" in section, f"security.{key} is not documented"


@pytest.mark.parametrize("text", ["2", "0", "-0.1", "2.5"])
def test_one_face_threshold_range_for_the_config_and_the_command_line(text, tmp_path):
    import argparse

    from ui.commands.face import _threshold

    config = tmp_path / "desk.toml"
    config.write_text(
        '[central]\nurl = "https://central.example"\n'
        '[workstation]\nhall_id = "H1"\nid = "W1"\nsecret = "s"\n'
        f"[desk]\nface_threshold = {text}\n",
        encoding="utf-8",
    )
    with pytest.raises(SettingsError, match="face_threshold"):
        load_settings(config)
    with pytest.raises(argparse.ArgumentTypeError, match="between 0 and 2"):
        _threshold(text)
    assert _threshold("0.58") == 0.58
