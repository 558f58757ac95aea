"""PC/SC health: tell "the service is down" from "no reader" from "the reader has no driver".

A desk that says "no card" is most often a desk whose PC/SC service is not running, or whose
reader is plugged in without a driver. :func:`diagnose` finds which, and :class:`PcscHealth`
carries a stable ``code`` (the UI translates it), an English ``detail`` and the ``fix`` for the
platform; :data:`FIXES` holds the Linux and Windows wording side by side.

Codes: ``ok``, ``pcsc_library_missing``, ``pcsc_unavailable`` (service not running),
``no_reader``, ``reader_driver_missing``, ``pcsc_error``.

"Driver missing" is found from the USB side: on Linux an interface of class ``0B`` (CCID) in
sysfs while PC/SC lists no reader; on Windows a smart card reader or CCID device that Plug and
Play reports with a problem code. Nothing here opens a card; reader names and USB ids are not
personal data.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

OK = "ok"
PCSC_LIBRARY_MISSING = "pcsc_library_missing"
PCSC_UNAVAILABLE = "pcsc_unavailable"
NO_READER = "no_reader"
READER_DRIVER_MISSING = "reader_driver_missing"
PCSC_ERROR = "pcsc_error"

USB_SYSFS = Path("/sys/bus/usb/devices")
CCID_DRIVER = Path("/usr/lib/pcsc/drivers/ifd-ccid.bundle")
USB_CLASS_CCID = "0b"

DETAILS = {
    OK: "the PC/SC service runs and sees {count} reader(s)",
    PCSC_LIBRARY_MISSING: "the PC/SC client library cannot be loaded",
    PCSC_UNAVAILABLE: "the PC/SC service is not running",
    NO_READER: "the PC/SC service runs but no card reader is connected",
    READER_DRIVER_MISSING: "a card reader is plugged in but has no driver: {devices}",
    PCSC_ERROR: "the PC/SC service answered with an error: {error}",
}

# What to do, per platform. Kept together so that the two stay in step.
FIXES: dict[str, dict[str, str]] = {
    OK: {"linux": "", "windows": ""},
    PCSC_LIBRARY_MISSING: {
        "linux": "Install the PC/SC library and service: `sudo apt install libpcsclite1 pcscd`.",
        "windows": "Reinstall Hall Counter. The PC/SC library (winscard.dll) is part of "
        "Windows; if it is missing, repair Windows.",
    },
    PCSC_UNAVAILABLE: {
        "linux": "Start the PC/SC service: `sudo systemctl enable --now pcscd.socket` (install "
        "it first with `sudo apt install pcscd`). Without systemd, run `sudo pcscd`.",
        "windows": "Start the Smart Card service: in services.msc set Smart Card (SCardSvr) to "
        "Automatic and start it, or as administrator run `sc config SCardSvr start= auto` and "
        "`sc start SCardSvr`. Windows stops this service while no reader is plugged in: plug "
        "the reader in first.",
    },
    NO_READER: {
        "linux": "Plug the card reader in (try another USB port). `pcsc_scan` (package "
        "pcsc-tools) shows the readers the service sees.",
        "windows": "Plug the card reader in (try another USB port) and look for it in Device "
        "Manager under Smart card readers.",
    },
    READER_DRIVER_MISSING: {
        "linux": "Install the reader driver: `sudo apt install libccid` for CCID readers (or the "
        "vendor's IFD handler for others), then `sudo systemctl restart pcscd` and plug the "
        "reader in again.",
        "windows": "In Device Manager, update the driver of the reader marked with a warning "
        "(Windows Update or the vendor's driver), then plug the reader in again.",
    },
    PCSC_ERROR: {
        "linux": "Restart the PC/SC service: `sudo systemctl restart pcscd`. If it persists, "
        "run `pcscd --foreground --debug` and send its output to IT support.",
        "windows": "Restart the Smart Card service (`sc stop SCardSvr` and `sc start SCardSvr` "
        "as administrator) or restart the computer.",
    },
}


def platform_family(platform: str = sys.platform) -> str:
    """``windows`` or ``linux`` (every other POSIX system gets the Linux wording)."""
    return "windows" if platform.startswith("win") else "linux"


@dataclass(frozen=True)
class PcscHealth:
    """The PC/SC stack as this desk sees it.

    ``code`` is stable (see the module docstring); ``detail`` says what was found and ``fix``
    what to do, both in English for the log and the command line (the UI translates ``code``).
    """

    code: str
    detail: str
    fix: str
    readers: tuple[str, ...] = ()
    devices: tuple[str, ...] = field(default=())  # readers without a driver (USB side)

    @property
    def ok(self) -> bool:
        """True when at least one reader is usable."""
        return self.code == OK

    def to_json(self) -> dict:
        """``{"ok", "code", "detail", "fix", "readers", "devices"}``."""
        return {
            "ok": self.ok,
            "code": self.code,
            "detail": self.detail,
            "fix": self.fix,
            "readers": list(self.readers),
            "devices": list(self.devices),
        }


def classify(
    *,
    library: bool,
    service: bool,
    readers: list[str] | tuple[str, ...],
    devices_without_driver: list[str] | tuple[str, ...] = (),
    error: str = "",
    platform: str = sys.platform,
) -> PcscHealth:
    """Turn the facts found into a :class:`PcscHealth` (pure: no system access)."""
    family = platform_family(platform)
    if not library:
        code = PCSC_LIBRARY_MISSING
    elif error:
        code = PCSC_ERROR
    elif not service:
        code = PCSC_UNAVAILABLE
    elif readers:
        code = OK
    elif devices_without_driver:
        code = READER_DRIVER_MISSING
    else:
        code = NO_READER
    detail = DETAILS[code].format(
        count=len(readers), devices=", ".join(devices_without_driver), error=error
    )
    return PcscHealth(
        code=code,
        detail=detail,
        fix=FIXES[code][family],
        readers=tuple(readers) if code == OK else (),
        devices=tuple(devices_without_driver) if code == READER_DRIVER_MISSING else (),
    )


# -- finding readers without a driver ---------------------------------------------------------


def _read_attr(folder: Path, name: str) -> str:
    try:
        return (folder / name).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""


def linux_ccid_devices(usb_root: Path = USB_SYSFS) -> list[str]:
    """USB devices with a CCID interface (class ``0B``), as ``vid:pid name``, from sysfs."""
    found: dict[str, str] = {}
    try:
        entries = sorted(usb_root.iterdir())
    except OSError:
        return []
    for entry in entries:
        # Interfaces are named like "1-2:1.0"; their device is the part before the colon.
        if ":" not in entry.name or _read_attr(entry, "bInterfaceClass").lower() != USB_CLASS_CCID:
            continue
        device_name = entry.name.split(":", 1)[0]
        device = usb_root / device_name
        vid, pid = _read_attr(device, "idVendor"), _read_attr(device, "idProduct")
        product = _read_attr(device, "product") or "USB smart card reader"
        found[device_name] = f"{vid}:{pid} {product}".strip()
    return list(found.values())


WINDOWS_QUERY = (
    "Get-CimInstance Win32_PnPEntity | Where-Object { $_.ConfigManagerErrorCode -ne 0 -and "
    "($_.PNPClass -eq 'SmartCardReader' -or ($_.CompatibleID -match '^USB\\\\Class_0B')) } | "
    "Select-Object Name,ConfigManagerErrorCode | ConvertTo-Json -Compress"
)


def parse_windows_devices(output: str) -> list[str]:
    """Device names from :data:`WINDOWS_QUERY`'s JSON (one object, a list, or nothing)."""
    text = output.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        log.warning("device query output does not parse")
        return []
    items = data if isinstance(data, list) else [data]
    names = []
    for item in items:
        if isinstance(item, dict):
            name = str(item.get("Name") or "smart card reader")
            code = item.get("ConfigManagerErrorCode")
            names.append(f"{name} (problem {code})" if code is not None else name)
    return names


def windows_devices_without_driver(*, timeout: float = 15.0) -> list[str]:
    """Smart card readers that Windows' Plug and Play reports with a problem (no driver)."""
    try:
        result = subprocess.run(
            ["powershell", "-NoProfile", "-NonInteractive", "-Command", WINDOWS_QUERY],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("device query failed: %s", type(exc).__name__)
        return []
    return parse_windows_devices(result.stdout)


def devices_without_driver(
    *, platform: str = sys.platform, usb_root: Path = USB_SYSFS
) -> list[str]:
    """Readers plugged in that PC/SC cannot use for want of a driver.

    Call it when PC/SC lists no reader: on Linux every CCID device then counts (libccid is
    missing or does not know the reader).
    """
    if platform_family(platform) == "windows":
        return windows_devices_without_driver()
    return linux_ccid_devices(usb_root)


def no_reader_cause(*, platform: str = sys.platform, usb_root: Path = USB_SYSFS) -> str:
    """``reader_driver_missing`` or ``no_reader``, for a service that lists no reader."""
    if devices_without_driver(platform=platform, usb_root=usb_root):
        return READER_DRIVER_MISSING
    return NO_READER


# -- the whole diagnosis ----------------------------------------------------------------------


def diagnose(*, platform: str = sys.platform, usb_root: Path = USB_SYSFS) -> PcscHealth:
    """Look at the PC/SC stack now: library, service, readers, drivers. Never raises.

    Uses its own short-lived PC/SC context (any thread may call it).
    """
    try:
        from smartcard import scard
    except ImportError as exc:
        log.warning("PC/SC library: %s", exc)
        return classify(library=False, service=False, readers=[], platform=platform)

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    down = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_F_COMM_ERROR}
    if hresult in down:
        return classify(library=True, service=False, readers=[], platform=platform)
    if hresult != scard.SCARD_S_SUCCESS:
        return classify(
            library=True, service=False, readers=[], error=f"{hresult & 0xFFFFFFFF:08X}",
            platform=platform,
        )  # fmt: skip
    try:
        hresult, names = scard.SCardListReaders(context, [])
    finally:
        scard.SCardReleaseContext(context)
    if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
        names = []
    elif hresult in down:
        return classify(library=True, service=False, readers=[], platform=platform)
    elif hresult != scard.SCARD_S_SUCCESS:
        return classify(
            library=True, service=True, readers=[], error=f"{hresult & 0xFFFFFFFF:08X}",
            platform=platform,
        )  # fmt: skip
    readers = [n for n in names if n != "\\\\?PnP?\\Notification"]
    missing = [] if readers else devices_without_driver(platform=platform, usb_root=usb_root)
    return classify(
        library=True,
        service=True,
        readers=readers,
        devices_without_driver=missing,
        platform=platform,
    )
