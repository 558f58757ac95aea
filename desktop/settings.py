"""The desk's configuration: a TOML file that names central, the hall and the workstation.

Layout of the file (every key is checked; an error names the key and what is wrong with it;
docs/configuration.md describes each key and docs/config-example.toml is a complete example)::

    [central]
    url = "https://central.hall.example:8443"   # https; plain http only on loopback
    ca_bundle = "/etc/hall-counter/central-ca.pem"   # optional; relative to this file
    client_cert = "desk.pem"        # optional: mutual TLS (certificate, PEM)
    client_key = "desk.key"         # optional: its key (PEM) when not inside client_cert
    proxy = "http://proxy.hall.example:3128"   # optional: an explicit proxy; "" or absent: none
    timeout = 10                                     # seconds, optional

    [workstation]
    hall_id = "H0001"
    id = "W01"
    secret = "..."                  # or: secret_file = "w01.secret" (relative to this file)

    [desk]
    language = "zh_CN"              # zh_CN or en
    crypto_suite = "international"  # international (AES-256-GCM) or national (SM4-GCM)
    card_grace_seconds = 60
    face_threshold = 0.6            # optional; the face matcher's calibrated default otherwise
    training = false

    [kiosk]                         # the self-service kiosk (every key optional)
    idle_seconds = 60               # no touch this long: "still there?"
    countdown_seconds = 20          # ... which waits this long before the kiosk resets
    shuffled_keypad = false         # a new PIN keypad layout every time
    speech = true                   # spoken prompts
    printer = ""                    # printer name; empty: the system's default printer

    [camera]                        # the face camera (every key optional)
    source = 0                      # device index, a video file or a folder of pictures
    mirror = false
    width = 1280                    # requested frame size (both or neither)
    height = 720

    [outbox]
    retention_days = 30             # sent rows are purged after this many days
    freeze_max_unsent = 500         # refuse new cases at this many unsent ones (0: no limit)
    freeze_max_age_hours = 72       # ... or when the oldest unsent one is older (0: no limit)
    backoff_base_seconds = 1        # first retry within this; doubles per failure ...
    backoff_cap_seconds = 300       # ... up to this (full jitter: a random share of it)

    [security]                      # sign-in, idle lock, alerts: see desktop.auth.SecurityPolicy
    idle_lock_minutes = 5

Where the file is found when ``--config`` is not given: :func:`default_config_path` (the
user's file when it exists, else the system-wide file when that exists).
"""

from __future__ import annotations

import ipaddress
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import urlsplit

from desktop.auth import PolicyError, SecurityPolicy

CRYPTO_SUITES = ("international", "national")
LANGUAGES = ("zh_CN", "en")

#: The configuration file's name in the user's configuration folder.
CONFIG_NAME = "hall-counter.toml"
#: Overrides the system-wide configuration path (packaging, tests).
SYSTEM_CONFIG_ENV = "HALL_COUNTER_SYSTEM_CONFIG"


def user_config_path() -> Path:
    """The user's configuration file (``~/.config/hall-counter/hall-counter.toml``,
    ``%LOCALAPPDATA%\\hall-counter\\hall-counter.toml``); the first-run screen writes it."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("hall-counter", appauthor=False)) / CONFIG_NAME


def system_config_path(
    platform: str | None = None, environ: dict[str, str] | None = None
) -> PurePath:
    """The system-wide configuration file an administrator installs for every user of a desk.

    ``/etc/hall-counter/config.toml`` on Linux (and other POSIX systems),
    ``%ProgramData%\\HallCounter\\config.toml`` on Windows; ``HALL_COUNTER_SYSTEM_CONFIG``
    overrides both. ``platform``/``environ`` default to this machine's.
    """
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    override = environ.get(SYSTEM_CONFIG_ENV)
    if override:
        return Path(override)
    native = platform == sys.platform
    if platform.startswith("win"):
        base = environ.get("ProgramData") or environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return (Path if native else PureWindowsPath)(base, "HallCounter", "config.toml")
    return (Path if native else PurePosixPath)("/etc/hall-counter/config.toml")


def default_config_path() -> Path:
    """The configuration used when ``--config`` is not given.

    The user's file when it exists; else the system-wide file when it exists; else the user's
    file (which does not exist yet: the first-run screen saves there).
    """
    user = user_config_path()
    if user.exists():
        return user
    system = Path(system_config_path())
    if system.is_file():
        return system
    return user


class SettingsError(Exception):
    """The configuration is unreadable or invalid; ``key`` names the offending key."""

    def __init__(self, key: str, problem: str):
        super().__init__(f"{key}: {problem}" if key else problem)
        self.key = key
        self.problem = problem


@dataclass(frozen=True)
class KioskSettings:
    """``[kiosk]``: the self-service kiosk's choices (defaults as in desktop.kiosk)."""

    idle_seconds: float = 60.0
    countdown_seconds: float = 20.0
    shuffled_keypad: bool = False
    speech: bool = True
    printer: str = ""

    def options(self, base: Any = None) -> Any:
        """These values over ``base`` (a desktop.kiosk.KioskOptions; the defaults if None)."""
        from desktop.kiosk import KioskOptions

        return replace(
            base if base is not None else KioskOptions(),
            idle_seconds=self.idle_seconds,
            still_there_seconds=self.countdown_seconds,
            keypad="shuffled" if self.shuffled_keypad else "fixed",
            speech=self.speech,
            printer=self.printer,
        )


@dataclass(frozen=True)
class CameraSettings:
    """``[camera]``: the face camera. ``source`` is a device index, a video file or a folder of
    pictures (None: device 0 on a real desk, the sample photos in training)."""

    source: int | Path | None = None
    mirror: bool = False
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Settings:
    """What the desk needs to know about its central, hall and workstation."""

    central_url: str
    hall_id: str
    workstation_id: str
    workstation_secret: str = field(repr=False)
    ca_bundle: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    proxy: str | None = field(default=None, repr=False)  # may carry a user name and password
    central_timeout: float = 10.0
    face_threshold: float | None = None
    crypto_suite: str = "international"
    language: str = "zh_CN"
    card_grace_seconds: float = 60.0
    outbox_retention_days: int = 30
    training: bool = False
    outbox_freeze_max_unsent: int = 500
    outbox_freeze_max_age_hours: float = 72.0
    outbox_backoff_base_seconds: float = 1.0
    outbox_backoff_cap_seconds: float = 300.0
    security: SecurityPolicy = field(default_factory=SecurityPolicy)
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    camera: CameraSettings = field(default_factory=CameraSettings)

    def kiosk_options(self, base: Any = None) -> Any:
        """The kiosk's options (desktop.kiosk.KioskOptions) with ``[kiosk]`` applied."""
        return self.kiosk.options(base)

    def with_central(self, url: str) -> Settings:
        """A copy that talks to another central (e.g. ``--central URL``), validated."""
        return replace(self, central_url=check_central_url(url, key="central.url"))


def is_loopback_host(host: str | None) -> bool:
    """True for localhost and loopback IP addresses."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ``scheme://credentials@`` anywhere in a text. The credentials run to the last "@" before the
# path, query or fragment: a password may itself hold an "@".
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s\"'<>]*@")


def mask_url(text: Any) -> str:
    """``text`` with the credentials of every URL in it replaced by ``***``.

    ``http://user:secret@proxy:3128`` becomes ``http://***@proxy:3128``; the same holds for
    URLs inside a message or a log line, for text that does not parse as a URL, and for a
    single value written without a scheme (``user:secret@proxy:3128``). Used for logs,
    reports, messages and the diagnostics archive.
    """
    text = _URL_CREDENTIALS.sub(r"\1***@", str(text))
    if "://" not in text and text.strip() and not any(c.isspace() for c in text.strip()):
        authority = re.split(r"[/?#]", text, maxsplit=1)[0]
        at = authority.rfind("@")
        if at >= 0:
            text = "***" + text[at:]
    return text


def check_face_threshold(value: Any, *, key: str = "desk.face_threshold") -> float:
    """The face match threshold (a face-embedding distance), strictly between 0 and 2; else
    SettingsError. The same range holds wherever a threshold is given."""
    threshold = float(value)
    if not 0 < threshold < 2:
        raise SettingsError(key, "must be between 0 and 2")
    return threshold


def check_central_url(url: Any, *, key: str = "central.url") -> str:
    """Return ``url`` without a trailing slash, or raise SettingsError.

    Central is reached over HTTPS; plain HTTP is accepted only for a loopback host (the training
    sandbox), so a case never crosses a network unencrypted.
    """
    if not isinstance(url, str) or not url.strip():
        raise SettingsError(key, "must be a non-empty URL string")
    if any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise SettingsError(key, "must not contain control characters")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 -- raises for a port out of range or not a number
    except ValueError as exc:
        raise SettingsError(key, f"is not a valid URL ({exc}): {mask_url(url)!r}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(key, f"must be an http(s) URL with a host, got {mask_url(url)!r}")
    if parts.port == 0:
        raise SettingsError(key, "has an invalid port (0)")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise SettingsError(key, "plain http is allowed only for a loopback host; use https")
    if parts.query or parts.fragment:
        raise SettingsError(key, "must not carry a query or fragment")
    if parts.username is not None or parts.password is not None:
        # The desk signs in with its workstation secret; a user name or password in the URL
        # would replace that sign-in on every request and central would refuse them all.
        raise SettingsError(key, f"must not hold a user name or password, got {mask_url(url)!r}")
    return url.strip().rstrip("/")


_SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], bool]]] = {
    # section -> key -> (accepted types, required)
    "central": {
        "url": (str, True),
        "ca_bundle": (str, False),
        "client_cert": (str, False),
        "client_key": (str, False),
        "proxy": (str, False),
        "timeout": ((int, float), False),
    },
    "workstation": {
        "hall_id": (str, True),
        "id": (str, True),
        "secret": (str, False),
        "secret_file": (str, False),
    },
    "desk": {
        "language": (str, False),
        "crypto_suite": (str, False),
        "card_grace_seconds": ((int, float), False),
        "face_threshold": ((int, float), False),
        "training": (bool, False),
    },
    "kiosk": {
        "idle_seconds": ((int, float), False),
        "countdown_seconds": ((int, float), False),
        "shuffled_keypad": (bool, False),
        "speech": (bool, False),
        "printer": (str, False),
    },
    "camera": {
        "source": ((int, str), False),
        "mirror": (bool, False),
        "width": (int, False),
        "height": (int, False),
    },
    "outbox": {
        "retention_days": (int, False),
        "freeze_max_unsent": (int, False),
        "freeze_max_age_hours": ((int, float), False),
        "backoff_base_seconds": ((int, float), False),
        "backoff_cap_seconds": ((int, float), False),
    },
}


def _type_name(types: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    if isinstance(types, tuple):
        return " or ".join(names[t] for t in types)
    return names[types]


def _check_shape(data: dict[str, Any]) -> None:
    for section, value in data.items():
        if section == "security":
            continue  # validated as a whole by SecurityPolicy.from_table
        if section not in _SCHEMA:
            raise SettingsError(
                section, f"unknown section; expected one of {', '.join([*_SCHEMA, 'security'])}"
            )
        if not isinstance(value, dict):
            raise SettingsError(section, "must be a table ([section])")
        for key, item in value.items():
            spec = _SCHEMA[section].get(key)
            if spec is None:
                raise SettingsError(f"{section}.{key}", "unknown key")
            types, _ = spec
            # bool is an int in Python; a number key must not accept true/false.
            if isinstance(item, bool) and types is not bool:
                raise SettingsError(f"{section}.{key}", f"must be {_type_name(types)}")
            if not isinstance(item, types):
                raise SettingsError(f"{section}.{key}", f"must be {_type_name(types)}")
    for section, keys in _SCHEMA.items():
        for key, (_, required) in keys.items():
            if required and key not in data.get(section, {}):
                raise SettingsError(f"{section}.{key}", "is required")


def _identifier(value: str, key: str) -> str:
    value = value.strip()
    plain = all(c.isascii() and (c.isalnum() or c in "-_") for c in value)
    if not value or len(value) > 32 or not plain:
        raise SettingsError(key, "must be 1-32 ASCII letters, digits, '-' or '_'")
    return value


def _ca_bundle(base: Path, value: str) -> Path:
    """The CA bundle's path once it is known to hold PEM certificates; else SettingsError."""
    import ssl

    path = (base / value).resolve()
    if not path.is_file():
        raise SettingsError("central.ca_bundle", f"no such file: {path}")
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise SettingsError("central.ca_bundle", f"cannot read {path}: {exc.strerror}") from exc
    if b"-----BEGIN CERTIFICATE-----" not in text:
        raise SettingsError("central.ca_bundle", f"{path} holds no PEM certificate")
    try:
        ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise SettingsError(
            "central.ca_bundle", f"{path} is not a usable PEM CA bundle ({exc})"
        ) from exc
    return path


def _existing_file(base: Path, value: str, key: str) -> Path:
    if not value.strip():
        raise SettingsError(key, "must not be empty")
    path = (base / Path(value).expanduser()).resolve()
    if not path.is_file():
        raise SettingsError(key, f"no such file: {path}")
    return path


def check_proxy_url(value: Any, *, key: str = "central.proxy") -> str | None:
    """An explicit proxy URL (``http://host:port`` or ``https://...``), or None for ``""`` and
    ``"none"`` (a direct connection); raises SettingsError."""
    if not isinstance(value, str):
        raise SettingsError(key, "must be a string")
    value = value.strip()
    if value.lower() in ("", "none"):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises for a port out of range
    except ValueError as exc:
        raise SettingsError(key, f"is not a valid URL or has an invalid port ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            key, f"must be an http(s) proxy URL with a host, or none; got {mask_url(value)!r}"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SettingsError(key, "must be scheme://host:port only")
    return value.rstrip("/")


def _client_tls(central: dict[str, Any], base: Path) -> tuple[Path | None, Path | None]:
    cert = key = None
    if "client_cert" in central:
        cert = _existing_file(base, central["client_cert"], "central.client_cert")
    if "client_key" in central:
        if cert is None:
            raise SettingsError("central.client_key", "needs central.client_cert")
        key = _existing_file(base, central["client_key"], "central.client_key")
        if os.name == "posix" and key.stat().st_mode & 0o004:
            raise SettingsError(
                "central.client_key", f"{key} is readable by every user; chmod 600 (or 640)"
            )
    return cert, key


def _range(table: dict[str, Any], key: str, default: float, low: float, high: float, name: str):
    value = float(table.get(key, default))
    if not low <= value <= high:
        raise SettingsError(f"{name}.{key}", f"must be between {low:g} and {high:g}")
    return value


def _kiosk(table: dict[str, Any]) -> KioskSettings:
    printer = table.get("printer", "").strip()
    if len(printer) > 200 or any(ord(c) < 32 for c in printer):
        raise SettingsError("kiosk.printer", "must be a printer name (no control characters)")
    return KioskSettings(
        idle_seconds=_range(table, "idle_seconds", 60.0, 5, 3600, "kiosk"),
        countdown_seconds=_range(table, "countdown_seconds", 20.0, 3, 600, "kiosk"),
        shuffled_keypad=table.get("shuffled_keypad", False),
        speech=table.get("speech", True),
        printer=printer,
    )


def _camera(table: dict[str, Any], base: Path) -> CameraSettings:
    source: int | Path | None = None
    if "source" in table:
        raw = table["source"]
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw.strip())
        if isinstance(raw, int):
            if not 0 <= raw <= 63:
                raise SettingsError("camera.source", "a device index must be between 0 and 63")
            source = raw
        elif raw.strip():
            source = (base / Path(raw.strip()).expanduser()).resolve()
            if not source.exists():
                raise SettingsError(
                    "camera.source", f"no such video file or picture folder: {source}"
                )
    size = {}
    for key in ("width", "height"):
        if key in table:
            if not 16 <= table[key] <= 8192:
                raise SettingsError(f"camera.{key}", "must be between 16 and 8192 pixels")
            size[key] = table[key]
    if len(size) == 1:
        missing = "height" if "width" in size else "width"
        raise SettingsError(f"camera.{missing}", "give width and height together")
    return CameraSettings(source=source, mirror=table.get("mirror", False), **size)


def settings_from_dict(data: dict[str, Any], *, base_dir: Path | None = None) -> Settings:
    """Validate a parsed configuration (the TOML's tables) and build Settings.

    Relative paths are taken relative to ``base_dir`` (the configuration file's folder).
    """
    _check_shape(data)
    base = base_dir or Path.cwd()
    central = data.get("central", {})
    ws = data.get("workstation", {})
    desk = data.get("desk", {})
    outbox = data.get("outbox", {})

    url = check_central_url(central["url"])
    ca_bundle = None
    if "ca_bundle" in central:
        ca_bundle = _ca_bundle(base, central["ca_bundle"])
    timeout = float(central.get("timeout", 10.0))
    if not 0 < timeout <= 300:
        raise SettingsError("central.timeout", "must be between 0 and 300 seconds")
    client_cert, client_key = _client_tls(central, base)
    proxy = check_proxy_url(central["proxy"]) if "proxy" in central else None

    # The secret comes from the file itself or from a file beside it (kept user-only).
    if ("secret" in ws) == ("secret_file" in ws):
        raise SettingsError("workstation.secret", "give exactly one of secret and secret_file")
    if "secret" in ws:
        secret = ws["secret"]
    else:
        secret_path = base / ws["secret_file"]
        try:
            secret = secret_path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SettingsError("workstation.secret_file", f"cannot read: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise SettingsError(
                "workstation.secret_file", f"{secret_path} is not UTF-8 text"
            ) from exc
    if not secret:
        raise SettingsError("workstation.secret", "must not be empty")

    language = desk.get("language", "zh_CN")
    if language not in LANGUAGES:
        raise SettingsError("desk.language", f"must be one of {', '.join(LANGUAGES)}")
    suite = desk.get("crypto_suite", "international")
    if suite not in CRYPTO_SUITES:
        raise SettingsError("desk.crypto_suite", f"must be one of {', '.join(CRYPTO_SUITES)}")
    grace = float(desk.get("card_grace_seconds", 60.0))
    if not 0 <= grace <= 3600:
        raise SettingsError("desk.card_grace_seconds", "must be between 0 and 3600")
    threshold = desk.get("face_threshold")
    if threshold is not None:
        check_face_threshold(threshold)
    retention = outbox.get("retention_days", 30)
    if not 1 <= retention <= 3650:
        raise SettingsError("outbox.retention_days", "must be between 1 and 3650")
    max_unsent = outbox.get("freeze_max_unsent", 500)
    if not 0 <= max_unsent <= 1_000_000:
        raise SettingsError("outbox.freeze_max_unsent", "must be between 0 (no limit) and 1000000")
    max_age = float(outbox.get("freeze_max_age_hours", 72.0))
    if not 0 <= max_age <= 24 * 366:
        raise SettingsError("outbox.freeze_max_age_hours", "must be between 0 (no limit) and 8784")
    backoff_base = float(outbox.get("backoff_base_seconds", 1.0))
    if not 0.01 <= backoff_base <= 600:
        raise SettingsError("outbox.backoff_base_seconds", "must be between 0.01 and 600")
    backoff_cap = float(outbox.get("backoff_cap_seconds", 300.0))
    if not backoff_base <= backoff_cap <= 86400:
        raise SettingsError(
            "outbox.backoff_cap_seconds", "must be between backoff_base_seconds and 86400"
        )

    try:
        security = SecurityPolicy.from_table(data.get("security", {}))
    except PolicyError as exc:
        raise SettingsError(exc.key, exc.problem) from exc

    return Settings(
        central_url=url,
        hall_id=_identifier(ws["hall_id"], "workstation.hall_id"),
        workstation_id=_identifier(ws["id"], "workstation.id"),
        workstation_secret=secret,
        ca_bundle=ca_bundle,
        client_cert=client_cert,
        client_key=client_key,
        proxy=proxy,
        central_timeout=timeout,
        face_threshold=None if threshold is None else float(threshold),
        crypto_suite=suite,
        language=language,
        card_grace_seconds=grace,
        outbox_retention_days=retention,
        training=bool(desk.get("training", False)),
        outbox_freeze_max_unsent=max_unsent,
        outbox_freeze_max_age_hours=max_age,
        outbox_backoff_base_seconds=backoff_base,
        outbox_backoff_cap_seconds=backoff_cap,
        security=security,
        kiosk=_kiosk(data.get("kiosk", {})),
        camera=_camera(data.get("camera", {}), base),
    )


def load_settings(path: Path) -> Settings:
    """Read and validate the TOML configuration at ``path``; raise SettingsError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SettingsError("", f"cannot read configuration {path}: {exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError("", f"{path} is not valid TOML: {exc}") from exc
    return settings_from_dict(data, base_dir=path.resolve().parent)
