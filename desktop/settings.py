"""The desk's configuration: a TOML file that names central, the hall and the workstation.

Layout of the file (every key is checked; an error names the key and what is wrong with it)::

    [central]
    url = "https://central.hall.example:8443"   # https; plain http only on loopback
    ca_bundle = "/etc/hall-counter/central-ca.pem"   # optional; relative to this file
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

    [outbox]
    retention_days = 30             # sent rows are purged after this many days
    freeze_max_unsent = 500         # refuse new cases at this many unsent ones (0: no limit)
    freeze_max_age_hours = 72       # ... or when the oldest unsent one is older (0: no limit)
    backoff_base_seconds = 1        # first retry within this; doubles per failure ...
    backoff_cap_seconds = 300       # ... up to this (full jitter: a random share of it)
"""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from desktop.auth import PolicyError, SecurityPolicy

CRYPTO_SUITES = ("international", "national")
LANGUAGES = ("zh_CN", "en")


class SettingsError(Exception):
    """The configuration is unreadable or invalid; ``key`` names the offending key."""

    def __init__(self, key: str, problem: str):
        super().__init__(f"{key}: {problem}" if key else problem)
        self.key = key
        self.problem = problem


@dataclass(frozen=True)
class Settings:
    """What the desk needs to know about its central, hall and workstation."""

    central_url: str
    hall_id: str
    workstation_id: str
    workstation_secret: str = field(repr=False)
    ca_bundle: Path | None = None
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


def check_central_url(url: Any, *, key: str = "central.url") -> str:
    """Return ``url`` without a trailing slash, or raise SettingsError.

    Central is reached over HTTPS; plain HTTP is accepted only for a loopback host (the training
    sandbox), so a case never crosses a network unencrypted.
    """
    if not isinstance(url, str) or not url.strip():
        raise SettingsError(key, "must be a non-empty URL string")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(key, f"must be an http(s) URL with a host, got {url!r}")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise SettingsError(key, "plain http is allowed only for a loopback host; use https")
    if parts.query or parts.fragment:
        raise SettingsError(key, "must not carry a query or fragment")
    return url.strip().rstrip("/")


_SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], bool]]] = {
    # section -> key -> (accepted types, required)
    "central": {"url": (str, True), "ca_bundle": (str, False), "timeout": ((int, float), False)},
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
    if not value or len(value) > 32 or not all(c.isalnum() or c in "-_" for c in value):
        raise SettingsError(key, "must be 1-32 letters, digits, '-' or '_'")
    return value


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
        ca_bundle = (base / central["ca_bundle"]).resolve()
        if not ca_bundle.is_file():
            raise SettingsError("central.ca_bundle", f"no such file: {ca_bundle}")
    timeout = float(central.get("timeout", 10.0))
    if not 0 < timeout <= 300:
        raise SettingsError("central.timeout", "must be between 0 and 300 seconds")

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
    if threshold is not None and not 0 < float(threshold) < 2:
        raise SettingsError("desk.face_threshold", "must be between 0 and 2")
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
