"""Settings from TOML: validation errors name the key and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.settings import Settings, SettingsError, check_central_url, load_settings

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
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
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
