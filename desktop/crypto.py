"""Encryption of cases at rest and the outbox's data key.

Each outbox row is sealed with an AEAD cipher under a 256-bit data key. The suite follows the
hall's setting: ``international`` is AES-256-GCM, ``national`` is SM4-GCM (with a 128-bit SM4 key
derived from the data key by HKDF-SM3). Each row records its suite, so a hall that changes suite
can still read its older rows.

The data key lives in the OS keyring when a usable backend exists. Otherwise it lives in a key
file readable only by the user (file 0600 in a 0700 folder), kept outside the data directory:
under ``~/.config/hall-counter/keys`` (Windows: ``%LOCALAPPDATA%\\HallCounter\\Keys``, see
:func:`default_key_dir`), or ``HALL_COUNTER_KEY_DIR`` when set.
Keys are per data directory (named by a hash of its resolved path). A key file that already
exists wins over the keyring, so a desk whose keyring appears later keeps its key.

Outbox export files (``hall-counter outbox export``) are sealed under a passphrase instead of the
data key, so they can be opened on another desk: scrypt derives an AES-256-GCM key from the
passphrase and a random salt (:func:`seal_with_passphrase`, :func:`open_with_passphrase`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
import sys
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from desktop.errors import OutboxError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "hall-counter"
KEY_DIR_ENV = "HALL_COUNTER_KEY_DIR"

#: Suite setting -> the cipher id stored with each row.
SUITE_CIPHERS = {"international": "aes-256-gcm", "national": "sm4-gcm"}

_NONCE_BYTES = 12
_TAG_BYTES = 16


class CaseCipher:
    """Seals and opens case bodies with the data key; thread-safe (no state after init)."""

    def __init__(self, data_key: bytes):
        if len(data_key) != 32:
            raise ValueError("the data key must be 32 bytes")
        self._aes = AESGCM(data_key)
        self._sm4_key = HKDF(
            algorithm=hashes.SM3(), length=16, salt=None, info=b"hall-counter outbox sm4-gcm"
        ).derive(data_key)

    def seal(self, cipher_id: str, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
        """Encrypt; return (nonce, ciphertext with the 16-byte tag appended)."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        if cipher_id == "aes-256-gcm":
            return nonce, self._aes.encrypt(nonce, plaintext, aad)
        if cipher_id == "sm4-gcm":
            enc = Cipher(algorithms.SM4(self._sm4_key), modes.GCM(nonce)).encryptor()
            enc.authenticate_additional_data(aad)
            body = enc.update(plaintext) + enc.finalize()
            return nonce, body + enc.tag
        raise OutboxError("unknown_cipher", f"unknown cipher {cipher_id!r}")

    def open(self, cipher_id: str, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
        """Decrypt and authenticate; raise OutboxError("case_unreadable") when it fails."""
        try:
            if cipher_id == "aes-256-gcm":
                return self._aes.decrypt(nonce, ciphertext, aad)
            if cipher_id == "sm4-gcm":
                body, tag = ciphertext[:-_TAG_BYTES], ciphertext[-_TAG_BYTES:]
                dec = Cipher(algorithms.SM4(self._sm4_key), modes.GCM(nonce, tag)).decryptor()
                dec.authenticate_additional_data(aad)
                return dec.update(body) + dec.finalize()
        except (InvalidTag, ValueError) as exc:
            raise OutboxError(
                "case_unreadable", "a case failed authentication (wrong key or altered row)"
            ) from exc
        raise OutboxError("unknown_cipher", f"unknown cipher {cipher_id!r}")


def _data_dir_tag(data_dir: Path) -> str:
    resolved = str(Path(data_dir).expanduser().resolve())
    return hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:16]


def default_key_dir(platform: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Where key files go: ``HALL_COUNTER_KEY_DIR``, else a user-only folder of its own.

    Linux and other POSIX systems: ``~/.config/hall-counter/keys`` (the data directory is under
    ``~/.local/share``). Windows: ``%LOCALAPPDATA%\\HallCounter\\Keys``, in the user's local
    (not roaming) profile, beside but not inside the data directory
    (``%LOCALAPPDATA%\\hall-counter``), and made readable by the user alone
    (:func:`_restrict_windows_folder`). ``platform``/``environ`` default to this machine's.
    """
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    override = environ.get(KEY_DIR_ENV)
    if override:
        return Path(override)
    if platform.startswith("win"):
        local = environ.get("LOCALAPPDATA")
        if not local:
            from platformdirs import user_data_dir  # %LOCALAPPDATA%\HallCounter

            return Path(user_data_dir("HallCounter", appauthor=False, roaming=False)) / "Keys"
        return Path(local) / "HallCounter" / "Keys"
    from platformdirs import user_config_dir

    return Path(user_config_dir("hall-counter", appauthor=False)) / "keys"


def _restrict_windows_folder(folder: Path) -> None:  # pragma: no cover - Windows desks
    """Give the current user alone (with SYSTEM) access to ``folder``, inherited by its files.

    ``icacls`` removes the inherited entries (Administrators, other groups a managed profile
    may add) and grants full control to the user and SYSTEM only. A failure is logged: the
    folder still lies in the user's private profile.
    """
    import subprocess

    user = os.environ.get("USERNAME")
    if not user:
        log.warning("cannot restrict the key folder: USERNAME is not set")
        return
    domain = os.environ.get("USERDOMAIN")
    account = f"{domain}\\{user}" if domain else user
    command = [
        "icacls",
        str(folder),
        "/inheritance:r",
        "/grant:r",
        f"{account}:(OI)(CI)F",
        "/grant:r",
        "*S-1-5-18:(OI)(CI)F",
    ]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not restrict the key folder to its user: %s", type(exc).__name__)


def _usable_keyring():
    """The keyring backend when one that can store secrets is available, else None."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # a broken keyring install must not stop the desk
        log.warning("keyring could not be loaded; using a key file", exc_info=True)
        return None
    if isinstance(backend, fail.Keyring):
        return None
    if getattr(backend, "priority", 0) <= 0:
        return None
    if hasattr(backend, "backends") and not backend.backends:  # an empty chainer
        return None
    return backend


class DataKeyStore:
    """Finds or creates the outbox data key for one data directory."""

    def __init__(self, data_dir: Path, *, key_dir: Path | None = None):
        self.data_dir = Path(data_dir)
        self.key_dir = Path(key_dir) if key_dir else default_key_dir()
        self._tag = _data_dir_tag(self.data_dir)

    @property
    def key_file(self) -> Path:
        """The key file this data directory would use."""
        return self.key_dir / f"outbox-{self._tag}.key"

    @property
    def keyring_username(self) -> str:
        """The keyring entry's user name for this data directory."""
        return f"outbox-key-{self._tag}"

    def description(self) -> str:
        """Which store holds (or would hold) the key, for the admin and self-test.

        Says plainly when no key exists yet, so a report never names a key file that is not
        there.
        """
        if self.key_file.exists():
            return f"key file {self.key_file} (readable only by this user)"
        backend = _usable_keyring()
        if backend is not None:
            return f"OS keyring ({type(backend).__module__}.{type(backend).__name__})"
        return f"no key yet; the first start creates the key file {self.key_file}"

    def where(self) -> str:
        """Where the key is kept now: the key file, or the keyring entry's name."""
        if self.key_file.exists():
            return f"key file {self.key_file}"
        return f"OS keyring entry {KEYRING_SERVICE}/{self.keyring_username}"

    def exists(self) -> bool:
        """Whether a key for this data directory exists (key file or keyring entry)."""
        if self.key_file.exists():
            return True
        backend = _usable_keyring()
        if backend is None:
            return False
        try:
            return bool(backend.get_password(KEYRING_SERVICE, self.keyring_username))
        except Exception:  # a failing keyring holds nothing we could use
            log.warning("the OS keyring could not be read", exc_info=True)
            return False

    def key_files_of_other_folders(self) -> list[tuple[Path, str]]:
        """Key files of this kind made for another data directory: (file, its folder).

        Used to tell an admin which key file would open a data folder that was moved.
        """
        prefix = self.key_file.name.split("-", 1)[0] + "-"
        here = str(self.data_dir.expanduser().resolve())
        found: list[tuple[Path, str]] = []
        try:
            candidates = sorted(self.key_dir.glob(f"{prefix}*.key"))
        except OSError:
            return found
        for path in candidates:
            if path == self.key_file:
                continue
            try:
                folder = json.loads(path.read_text(encoding="utf-8")).get("data_dir")
            except (OSError, ValueError, AttributeError):
                continue
            if isinstance(folder, str) and folder != here:
                found.append((path, folder))
        return found

    def load_or_create(self, *, create: bool = True) -> bytes:
        """Return the 32-byte data key, creating it on first use.

        ``create=False`` (the data directory already holds data sealed under a key) never
        makes a second key: it raises OutboxError ``data_key_missing`` instead.
        """
        self._check_outside_data_dir()
        if self.key_file.exists():
            return self._read_key_file()
        backend = _usable_keyring()
        if backend is not None:
            try:
                stored = backend.get_password(KEYRING_SERVICE, self.keyring_username)
                if stored:
                    return _decode_key(stored, "keyring entry")
                if not create:
                    raise self._missing()
                key = secrets.token_bytes(32)
                backend.set_password(
                    KEYRING_SERVICE, self.keyring_username, base64.b64encode(key).decode()
                )
                log.info("created the outbox data key in the OS keyring")
                return key
            except OutboxError:
                raise
            except Exception:
                log.warning("the OS keyring failed; using a key file instead", exc_info=True)
        if not create:
            raise self._missing()
        return self._create_key_file()

    def _missing(self) -> OutboxError:
        hint = ""
        others = self.key_files_of_other_folders()
        if others:
            listed = "; ".join(f"{path} (made for {folder})" for path, folder in others[:5])
            hint = (
                f" If this folder was moved or restored from another place, the key file made "
                f"for its old place opens it: copy that file to {self.key_file}. Candidates: "
                f"{listed}."
            )
        return OutboxError(
            "data_key_missing",
            f"{self.data_dir} holds data sealed under a key, but no key for this folder exists "
            f"(looked for {self.key_file} and the OS keyring); no new key was made.{hint}",
        )

    def _check_outside_data_dir(self) -> None:
        key_dir = self.key_dir.expanduser().resolve()
        data_dir = self.data_dir.expanduser().resolve()
        if key_dir == data_dir or data_dir in key_dir.parents:
            raise OutboxError(
                "key_dir_inside_data_dir",
                f"the key folder {key_dir} must not be inside the data directory",
            )

    def _ensure_key_dir(self) -> None:
        created = not self.key_dir.exists()
        self.key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name == "nt" and created:  # pragma: no cover - Windows desks
            _restrict_windows_folder(self.key_dir)
        if os.name == "posix":
            mode = self.key_dir.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(self.key_dir, 0o700)

    def _read_key_file(self) -> bytes:
        path = self.key_file
        if os.name == "posix":
            st = path.stat()
            if st.st_mode & 0o077:
                raise OutboxError(
                    "key_file_insecure",
                    f"{path} is readable by others (mode {st.st_mode & 0o777:o}); "
                    "it must be 0600. Fix it with: chmod 600 <file>",
                )
            if st.st_uid != os.getuid():
                raise OutboxError("key_file_insecure", f"{path} belongs to another user")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return _decode_key(data["key"], str(path))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise OutboxError("key_file_unreadable", f"cannot read the key file {path}") from exc

    def _create_key_file(self) -> bytes:
        self._ensure_key_dir()
        key = secrets.token_bytes(32)
        payload = {
            "version": 1,
            "data_dir": str(self.data_dir.expanduser().resolve()),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "key": base64.b64encode(key).decode(),
        }
        try:
            fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it a moment ago
            return self._read_key_file()
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh)
            fh.flush()
            os.fsync(fh.fileno())
        log.info("created the key file %s", self.key_file)
        return key


def _decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise OutboxError("key_file_unreadable", f"{where} does not hold a key") from exc
    if len(key) != 32:
        raise OutboxError("key_file_unreadable", f"{where} does not hold a 32-byte key")
    return key


def key_store_description(data_dir: Path) -> str:
    """Say where the outbox data key of ``data_dir`` is kept."""
    return DataKeyStore(data_dir).description()


# --- passphrase-sealed files (outbox export) ---------------------------------------------------

EXPORT_FORMAT = "hall-counter-outbox-export"
EXPORT_VERSION = 1
MIN_PASSPHRASE_CHARS = 8
# scrypt cost: 2**15 x 8 x 1 takes 32 MiB and about 0.1 s, RFC 7914's interactive setting.
# Files name their own cost; reading accepts only a sane range, so a crafted file cannot make
# the desk allocate gigabytes.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
_SCRYPT_N_RANGE = (2**14, 2**20)


def _passphrase_bytes(passphrase: str) -> bytes:
    # NFC: the same passphrase typed on two keyboards (or input methods) gives the same bytes.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_passphrase(passphrase: str) -> None:
    """Raise OutboxError("passphrase_too_short") for a passphrase an export must not use."""
    if len(unicodedata.normalize("NFC", passphrase).strip()) < MIN_PASSPHRASE_CHARS:
        raise OutboxError(
            "passphrase_too_short",
            f"the passphrase must have at least {MIN_PASSPHRASE_CHARS} characters",
        )


def _scrypt_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(_passphrase_bytes(passphrase))


def _header_aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal_with_passphrase(plaintext: bytes, passphrase: str) -> bytes:
    """Encrypt ``plaintext`` under a key derived from ``passphrase``; return the file's bytes.

    The file is one JSON object: ``format``, ``version``, ``kdf`` (scrypt with its salt and
    cost), ``cipher`` (aes-256-gcm), ``nonce`` and ``ciphertext`` (base64). The header is the
    AEAD's associated data, so a changed cost or salt fails like a wrong passphrase.
    """
    check_passphrase(passphrase)
    salt = secrets.token_bytes(16)
    header = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "kdf": {
            "name": "scrypt",
            "n": SCRYPT_N,
            "r": SCRYPT_R,
            "p": SCRYPT_P,
            "salt": base64.b64encode(salt).decode(),
        },
        "cipher": "aes-256-gcm",
    }
    key = _scrypt_key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext, _header_aad(header))
    document = {
        **header,
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(sealed).decode(),
    }
    return (json.dumps(document, indent=1) + "\n").encode("utf-8")


def open_with_passphrase(data: bytes, passphrase: str) -> bytes:
    """Decrypt a file made by :func:`seal_with_passphrase`.

    Raises OutboxError ``export_file_invalid`` (not such a file, or a cost out of range) or
    ``passphrase_wrong`` (wrong passphrase, or the file was altered).
    """
    try:
        document = json.loads(data.decode("utf-8"))
        if document.get("format") != EXPORT_FORMAT:
            raise ValueError("not an outbox export")
        if document.get("version") != EXPORT_VERSION:
            raise ValueError(f"unknown version {document.get('version')!r}")
        kdf = document["kdf"]
        if kdf.get("name") != "scrypt" or document.get("cipher") != "aes-256-gcm":
            raise ValueError("unknown key derivation or cipher")
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if not (_SCRYPT_N_RANGE[0] <= n <= _SCRYPT_N_RANGE[1] and n & (n - 1) == 0):
            raise ValueError("scrypt cost out of range")
        if not (1 <= r <= 32 and 1 <= p <= 16):
            raise ValueError("scrypt parameters out of range")
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(document["nonce"], validate=True)
        sealed = base64.b64decode(document["ciphertext"], validate=True)
        if len(salt) < 16 or len(nonce) != _NONCE_BYTES:
            raise ValueError("salt or nonce of the wrong size")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OutboxError(
            "export_file_invalid", f"not a Hall Counter outbox export ({exc})"
        ) from exc
    header = {k: document[k] for k in ("format", "version", "kdf", "cipher")}
    key = _scrypt_key(passphrase, salt, n, r, p)
    try:
        return AESGCM(key).decrypt(nonce, sealed, _header_aad(header))
    except InvalidTag as exc:
        raise OutboxError(
            "passphrase_wrong", "the passphrase does not open this file (or it was altered)"
        ) from exc
