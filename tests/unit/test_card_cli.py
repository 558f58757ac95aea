"""``card read`` on the in-process simulated reader (the PC/SC path is in the integration
tests), and the command line's usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ui.cli import main

REPO = Path(__file__).resolve().parents[2]
C01 = REPO / "resources" / "cards" / "c01.json"
C03 = REPO / "resources" / "cards" / "c03.json"
DATA = REPO / "tests" / "data" / "cards"


def run(capsys, *argv: str, data_dir: Path | None = None) -> tuple[int, str, str]:
    prefix = ["--data-dir", str(data_dir)] if data_dir is not None else []
    code = main([*prefix, "card", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def desk(tmp_path) -> Path:
    """A data folder with a training desk set up: ``--unmasked`` is recorded in its audit
    trail (and refused without one)."""
    from ui.app import store_training_workstation, training_data_dir, training_settings

    store_training_workstation(training_data_dir(tmp_path), training_settings("http://127.0.0.1:9"))
    return tmp_path


def test_read_json_unmasked(capsys, desk):
    code, out, _ = run(
        capsys, "read", "--reader-kind", "sim", "--profile", str(C03), "--json", "--unmasked",
        data_dir=desk,
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "阿依古丽·买买提艾力阿不都热合曼"
    assert data["ssn"] == "650102197804120042"
    assert data["birth_date"] == "1978-04-12" and data["expiry_date"] == "2031-09-07"
    assert data["reader"] == "Simulated Reader 00"
    assert "pin_result" not in data


def test_read_masks_by_default(capsys):
    code, out, _ = run(capsys, "read", "--reader-kind", "sim", "--profile", str(C01), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["ssn"] == "110105********0016"
    assert data["name"] == "**明"


@pytest.mark.parametrize(
    ("pin", "result", "tries", "code"),
    [("123456", "ok", None, 0), ("000000", "wrong", 2, 3)],
)
def test_read_with_pin(capsys, pin, result, tries, code):
    exit_code, out, _ = run(
        capsys, "read", "--reader-kind", "sim", "--profile", str(C01), "--json", "--pin", pin
    )
    data = json.loads(out)
    assert exit_code == code
    assert (data["pin_result"], data["pin_tries_left"]) == (result, tries)


# Every way a PIN is not accepted: exit 3, the card's data still printed, and a plain sentence.
REFUSED = [
    (C01, "000000", "wrong", "wrong PIN, 2 tries left"),
    (DATA / "blocked.json", "111111", "blocked", "blocked after too many wrong tries"),
    (DATA / "locked.json", "123456", "unknown", "the card application is locked"),
]


@pytest.mark.parametrize(("profile", "pin", "result", "sentence"), REFUSED)
def test_a_pin_not_accepted_exits_3(capsys, profile, pin, result, sentence):
    argv = ("read", "--reader-kind", "sim", "--profile", str(profile), "--pin", pin)
    code, out, err = run(capsys, *argv, "--json")
    assert code == 3
    data = json.loads(out)
    assert data["card_no"] and data["pin_result"] == result
    assert err.startswith("hall-counter card read: PIN not accepted: ") and sentence in err
    assert len(err.strip().splitlines()) == 1

    code, out, err = run(capsys, *argv)
    assert code == 3
    pin_line = next(line for line in out.splitlines() if line.startswith("PIN:"))
    assert sentence in pin_line
    # A sentence, never the raw code alone.
    assert pin_line.split(":", 1)[1].strip() not in {result, "app_locked"}


def test_a_blocked_card_is_not_sent_the_pin(capsys, monkeypatch):
    from devices.card import ssc

    def must_not_send(self, pin):
        raise AssertionError("the PIN was sent to a blocked card")

    monkeypatch.setattr(ssc.SocialSecurityCard, "verify_pin", must_not_send)
    argv = ("read", "--reader-kind", "sim", "--profile", str(DATA / "blocked.json"))
    code, out, _ = run(capsys, *argv, "--pin", "111111", "--json")
    assert code == 3
    assert (json.loads(out)["pin_result"], json.loads(out)["pin_tries_left"]) == ("blocked", 0)


def test_exit_codes_are_in_the_help(capsys):
    assert main(["card", "read", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "0 read" in out and "2 bad usage" in out
    assert "3 card read but the PIN not accepted" in out


def test_summary_in_plain_words(capsys, tmp_path):
    profile = json.loads(C01.read_text(encoding="utf-8"))
    profile["ef06"]["sex"] = "9"
    profile["ef05"]["issue_date"] = "20400101"
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    code, out, _ = run(capsys, "read", "--reader-kind", "sim", "--profile", str(path))
    assert code == 0
    assert "Sex:          not stated" in out
    assert "the card states no sex" in out and "issue date is later than its expiry" in out
    assert "sex_not_stated" not in out and "issue_after_expiry" not in out


def test_summary_text(capsys):
    code, out, _ = run(capsys, "read", "--reader-kind", "sim", "--profile", str(C01))
    assert code == 0
    assert "Card number:" in out and "A10000011" in out
    assert "110105********0016" in out and "张伟明" not in out
    assert "Warnings:" in out


def test_generation_3_with_test_key(capsys, desk):
    profile = DATA / "gen3_t0.json"
    code, out, _ = run(capsys, "read", "--reader-kind", "sim", "--profile", str(profile), "--json")
    assert code == 0
    assert "ssn" in json.loads(out)["protected"]
    code, out, _ = run(
        capsys, "read", "--reader-kind", "sim", "--profile", str(profile), "--json",
        "--key-service", "test", "--unmasked", data_dir=desk,
    )  # fmt: skip
    data = json.loads(out)
    assert data["protected"] == [] and data["ssn"] == "420102198512310014"


def test_bad_record_is_one_line_and_exit_1(capsys):
    code, out, err = run(
        capsys, "read", "--reader-kind", "sim", "--profile", str(DATA / "bad_date.json")
    )
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "impossible date" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["read", "--pin", "12"],
        ["read", "--pin", "12ab56"],
        ["read", "--reader-kind", "sim"],
        ["read", "--profile", "x.json"],
        ["read", "--reader-kind", "other"],
        ["read", "--reader-kind", "sscard"],
        ["read", "--driver", "lib.so"],
        ["read", "--reader-kind", "sim", "--profile", "x.json", "--driver", "lib.so"],
        ["read", "--pin", "123456", "--pinpad"],
        ["watch", "--reader-kind", "sscard"],
        [],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err


def test_pin_never_printed(capsys):
    code, out, err = run(
        capsys, "read", "--reader-kind", "sim", "--profile", str(C01), "--json", "--pin", "987654"
    )
    assert code == 3  # a wrong PIN
    assert "987654" not in out and "987654" not in err


def test_card_sim_bad_profile(capsys, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"protocol": "T9"}', encoding="utf-8")
    code = main(["card-sim", "--profile", str(broken)])
    _, err = capsys.readouterr()
    assert code == 1
    assert "protocol" in err


def test_pinpad_on_a_reader_without_one(capsys):
    code, out, err = run(
        capsys, "read", "--reader-kind", "sim", "--profile", str(C01), "--json", "--pinpad"
    )
    assert code == 1
    assert json.loads(out)["pin_error"] == "no_pinpad"
    assert "no PIN keypad" in err and "use --pin" in err


def test_missing_driver_library(capsys, tmp_path):
    code, out, err = run(
        capsys, "read", "--reader-kind", "sscard", "--driver", str(tmp_path / "nothing.so")
    )
    assert code == 1 and out == ""
    assert "cannot load the reader driver" in err and "check --driver" in err
    code, _, err = run(
        capsys, "watch", "--reader-kind", "sscard", "--driver", str(tmp_path / "nothing.so")
    )
    assert code == 1 and "no driver library" in err


def test_watch_printer_events(capsys):
    from devices.card.errors import MultipleCardsError
    from ui.commands.card import _WatchPrinter

    printer = _WatchPrinter(as_json=True)
    printer.on_card_swapped()
    printer.on_card_ignored("Virtual PCD 00 00")
    printer.on_card_error(MultipleCardsError(["R 00 00", "R 00 01"]))
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert events[0] == {"event": "card_swapped"}
    assert events[1] == {"event": "card_ignored", "reader": "Virtual PCD 00 00"}
    assert events[2]["code"] == "multiple_cards"
    assert events[2]["readers"] == ["R 00 00", "R 00 01"]


def test_the_pin_sentence_counts_tries_in_plain_english():
    from ui.commands.card import pin_text

    assert pin_text("wrong", 1, None) == "wrong PIN, 1 try left"
    assert pin_text("wrong", 2, None) == "wrong PIN, 2 tries left"
    assert pin_text("wrong", None, None) == "wrong PIN, tries left unknown"
