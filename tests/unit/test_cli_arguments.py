"""Arguments refused before anything runs: a PIN that no card could take (``demo --pin``,
``card read --pin``) and an input path that is a folder (``face verify``, ``face live``)."""

from __future__ import annotations

import pytest

from ui.cli import main

BAD_PINS = ["12", "123", "1234567890123", "12ab56", "", " 123456", "１２３４５６"]


@pytest.mark.parametrize("pin", BAD_PINS)
@pytest.mark.parametrize("reader", ["sim", "pcsc"])
def test_demo_refuses_a_malformed_pin_before_any_card(capsys, tmp_path, pin, reader):
    data_dir = tmp_path / "data"
    argv = ["--data-dir", str(data_dir), "demo", "--headless", "--reader", reader, "--pin", pin]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--pin" in err and "4 to 12 digits" in err
    assert pin.strip() == "" or pin not in err.replace("4 to 12", "")  # never echoed
    # Nothing was started: no training desk, no sandbox, no outbox.
    assert not (data_dir / "training").exists()


@pytest.mark.parametrize("pin", BAD_PINS)
def test_card_read_refuses_a_malformed_pin(capsys, pin):
    # The PC/SC reader is never opened: the command fails on usage even without pcscd.
    assert main(["card", "read", "--reader", "No Such Reader", "--pin", pin]) == 2
    assert "--pin must be 4 to 12 digits" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["face", "verify", "--reference", "{file}", "--probe", "{folder}"],
        ["face", "verify", "--reference", "{folder}", "--probe", "{file}"],
        ["face", "verify", "--pairs", "{folder}"],
        ["face", "verify", "--pairs", "{csv}"],
        ["face", "live", "--source", "0", "--reference", "{folder}"],
    ],
)
def test_face_commands_say_a_folder_is_a_folder(capsys, tmp_path, argv):
    folder = tmp_path / "photos"
    folder.mkdir()
    image = tmp_path / "reference.jpg"
    image.write_bytes(b"not read: the usage check comes first")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(f"reference,probe\n{image.name},{folder.name}\n", encoding="utf-8")
    values = {"{folder}": str(folder), "{file}": str(image), "{csv}": str(pairs)}
    assert main([values.get(arg, arg) for arg in argv]) == 2
    err = capsys.readouterr().err
    assert f"{folder} is a folder, not a file" in err
    assert "no such file" not in err


def test_face_verify_still_says_when_a_file_is_missing(capsys, tmp_path):
    missing = tmp_path / "missing.jpg"
    image = tmp_path / "reference.jpg"
    image.write_bytes(b"x")
    assert main(["face", "verify", "--reference", str(image), "--probe", str(missing)]) == 2
    assert f"no such file: {missing}" in capsys.readouterr().err
