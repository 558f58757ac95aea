"""PC/SC health: classification with the fix per platform, and finding readers without a
driver (a sysfs tree in the test's folder; Windows' device query output)."""

from __future__ import annotations

import pytest

from devices.card import health
from devices.card.health import FIXES, classify, linux_ccid_devices, parse_windows_devices

CODES = ("ok", "pcsc_library_missing", "pcsc_unavailable", "no_reader",
         "reader_driver_missing", "pcsc_error")  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        ({"library": False, "service": False, "readers": []}, "pcsc_library_missing"),
        ({"library": True, "service": False, "readers": []}, "pcsc_unavailable"),
        ({"library": True, "service": True, "readers": []}, "no_reader"),
        (
            {"library": True, "service": True, "readers": [],
             "devices_without_driver": ["072f:90cc ACR38"]},
            "reader_driver_missing",
        ),
        ({"library": True, "service": True, "readers": ["R 00 00"]}, "ok"),
        ({"library": True, "service": True, "readers": [], "error": "80100001"}, "pcsc_error"),
    ],
)  # fmt: skip
def test_classify(facts, code):
    linux = classify(**facts, platform="linux")
    windows = classify(**facts, platform="win32")
    assert linux.code == windows.code == code
    assert linux.ok == (code == "ok")
    if code == "ok":
        assert linux.fix == windows.fix == "" and linux.readers == ("R 00 00",)
    else:
        assert linux.fix and windows.fix and linux.fix != windows.fix
    if code == "reader_driver_missing":
        assert "ACR38" in linux.detail and linux.devices == ("072f:90cc ACR38",)
    assert set(linux.to_json()) == {"ok", "code", "detail", "fix", "readers", "devices"}


def test_fix_wording_names_the_platforms_tools():
    assert "systemctl" in FIXES["pcsc_unavailable"]["linux"]
    assert "SCardSvr" in FIXES["pcsc_unavailable"]["windows"]
    assert "libccid" in FIXES["reader_driver_missing"]["linux"]
    assert "Device Manager" in FIXES["reader_driver_missing"]["windows"]
    assert set(FIXES) == set(CODES)
    assert all(set(texts) == {"linux", "windows"} for texts in FIXES.values())


def make_usb_device(root, name, vid, pid, product, interface_class):
    device = root / name
    device.mkdir()
    (device / "idVendor").write_text(vid + "\n")
    (device / "idProduct").write_text(pid + "\n")
    (device / "product").write_text(product + "\n")
    interface = root / f"{name}:1.0"
    interface.mkdir()
    (interface / "bInterfaceClass").write_text(interface_class + "\n")


def test_ccid_devices_from_sysfs(tmp_path):
    make_usb_device(tmp_path, "1-2", "072f", "90cc", "ACR38U-CCID", "0b")
    make_usb_device(tmp_path, "1-3", "046d", "c52b", "USB Receiver", "03")
    (tmp_path / "usb1").mkdir()  # a root hub without attributes
    assert linux_ccid_devices(tmp_path) == ["072f:90cc ACR38U-CCID"]
    assert linux_ccid_devices(tmp_path / "missing") == []
    assert health.no_reader_cause(platform="linux", usb_root=tmp_path) == "reader_driver_missing"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert health.no_reader_cause(platform="linux", usb_root=empty) == "no_reader"


def test_windows_device_query_output():
    one = '{"Name":"Generic Smart Card Reader","ConfigManagerErrorCode":28}'
    many = '[{"Name":"A","ConfigManagerErrorCode":28},{"Name":null,"ConfigManagerErrorCode":1}]'
    assert parse_windows_devices(one) == ["Generic Smart Card Reader (problem 28)"]
    assert parse_windows_devices(many) == ["A (problem 28)", "smart card reader (problem 1)"]
    assert parse_windows_devices("") == []
    assert parse_windows_devices("not json") == []
