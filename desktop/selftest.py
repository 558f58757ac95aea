"""The desk's self-test: is this machine ready to serve citizens, and if not, what to do.

``hall-counter self-test`` runs every check of :data:`CHECK_NAMES` in that order and prints
``{"ok": bool, "checks": [{"name", "ok", "code", "detail", "fix"}]}``. ``name`` and ``code`` are
stable identifiers (scripts and the UI rely on them; the UI may translate a code into a
sentence); ``detail`` says in English what was found and ``fix`` what the admin should do (empty
when there is nothing to do). A check that does not apply here (no central configured, nothing
to verify over plain HTTP on loopback) passes with a code that says so.

Checks, and what they look at:

- ``config``: the configuration file, when there is one, loads and validates.
- ``pcsc_service``: the PC/SC service answers ``SCardEstablishContext`` (pcscd on Linux, the
  "Smart Card" service on Windows); "service not running" is told apart from other failures.
- ``readers``: at least one card reader is attached.
- ``camera``: OpenCV opens camera 0 and reads a frame; in training mode the sample photos stand
  in for the camera.
- ``face_models``: dlib, face_recognition and the face_recognition_models files are installed.
  Found on disk without importing them: importing face_recognition loads dlib and calls
  ``quit()`` when the models are missing.
- ``central``, ``tls``, ``clock``: when a central URL is configured or given, ``GET /v1/health``
  over HTTPS verified against the configured CA bundle (or the default bundle), and the clock
  skew against the response's ``Date`` header.
- ``proxy``: the proxy the desk's HTTP client uses for central (``central.proxy``, or none: the
  environment's proxy variables are ignored), with credentials hidden.
- ``disk``: free space on the data directory's volume.
- ``data_dir``: the data directory exists (or can be created), is writable and, on POSIX
  systems, is not readable by other users.
- ``keyring``: where the outbox data key lives: a usable OS keyring, or the user-only key file.

Nothing here imports PySide6, dlib or face_recognition; OpenCV is imported only for the camera
check outside training mode. The checks send no personal data anywhere and log none.
"""

from __future__ import annotations

import email.utils
import importlib.util
import json
import logging
import os
import shutil
import ssl
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from desktop.settings import mask_url

log = logging.getLogger(__name__)

CHECK_NAMES = (
    "config",
    "pcsc_service",
    "readers",
    "camera",
    "face_models",
    "central",
    "tls",
    "clock",
    "proxy",
    "disk",
    "data_dir",
    "keyring",
)

DEFAULT_MIN_FREE_BYTES = 500 * 1024 * 1024
DEFAULT_MAX_CLOCK_SKEW = 120.0
HEALTH_PATH = "/v1/health"
# A health answer is a few dozen bytes; anything past this is not central.
MAX_HEALTH_BYTES = 64 * 1024

# The files face_recognition loads at import time (face_recognition_models 0.3).
FACE_MODEL_FILES = (
    "dlib_face_recognition_resnet_model_v1.dat",
    "mmod_human_face_detector.dat",
    "shape_predictor_5_face_landmarks.dat",
    "shape_predictor_68_face_landmarks.dat",
)

_PROXY_SCHEMES = ("http", "https", "socks4", "socks4a", "socks5", "socks5h")


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome. ``name`` and ``code`` are stable; ``fix`` is empty when ok."""

    name: str
    ok: bool
    code: str
    detail: str
    fix: str = ""

    def __post_init__(self) -> None:
        # Whatever a check says about a URL, its credentials never reach the report.
        object.__setattr__(self, "detail", mask_url(self.detail))
        object.__setattr__(self, "fix", mask_url(self.fix))

    def to_json(self) -> dict[str, object]:
        """The check as it appears in ``self-test --json``."""
        return {
            "name": self.name,
            "ok": self.ok,
            "code": self.code,
            "detail": self.detail,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class SelfTestReport:
    """All checks, in :data:`CHECK_NAMES` order."""

    checks: tuple[CheckResult, ...]

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(check.ok for check in self.checks)

    def check(self, name: str) -> CheckResult:
        """The result of the check called ``name``."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)

    def to_json(self) -> dict[str, object]:
        """``{"ok": bool, "checks": [...]}``."""
        return {"ok": self.ok, "checks": [check.to_json() for check in self.checks]}

    def dumps(self) -> str:
        """The JSON text of :meth:`to_json` (UTF-8 characters kept as they are)."""
        return json.dumps(self.to_json(), ensure_ascii=False)


@dataclass
class SelfTestOptions:
    """What to test. ``settings`` is a loaded :class:`desktop.settings.Settings` or None.

    ``config_path``/``config_error`` describe the configuration file for the ``config`` check;
    ``central_url`` overrides the configured central. ``outbox_dir`` is the folder whose outbox
    key the ``keyring`` check looks for (the data directory by default; training keeps its outbox
    in a subfolder). ``platform`` picks the wording of the fixes (``sys.platform`` by default).
    """

    data_dir: Path
    settings: object | None = None
    config_path: Path | None = None
    config_error: str | None = None
    central_url: str | None = None
    training: bool = False
    camera_index: int = 0
    key_dir: Path | None = None
    outbox_dir: Path | None = None
    min_free_bytes: int = DEFAULT_MIN_FREE_BYTES
    max_clock_skew: float = DEFAULT_MAX_CLOCK_SKEW
    platform: str = field(default_factory=lambda: sys.platform)

    @property
    def windows(self) -> bool:
        """True when the fixes should be worded for Windows."""
        return self.platform.startswith("win")

    def effective_central(self) -> tuple[str | None, Path | None, float]:
        """(central URL, CA bundle, timeout) the checks use."""
        url = self.central_url or getattr(self.settings, "central_url", None)
        ca_bundle = getattr(self.settings, "ca_bundle", None)
        timeout = float(getattr(self.settings, "central_timeout", 10.0) or 10.0)
        return url, ca_bundle, timeout


# --- configuration ---------------------------------------------------------------------------


def check_config(options: SelfTestOptions) -> CheckResult:
    """The configuration file loaded and validated (or there is none)."""
    if options.config_error:
        return CheckResult(
            "config",
            False,
            "config_invalid",
            f"configuration {options.config_path}: {options.config_error}",
            "Correct the key named above (docs/configuration.md lists every key), "
            "then run the self-test again.",
        )
    if options.settings is None:
        return CheckResult(
            "config",
            True,
            "not_configured",
            "no configuration file: the desk opens its first-run screen (or training mode)",
        )
    s = options.settings
    return CheckResult(
        "config",
        True,
        "ok",
        f"configuration {options.config_path}: hall {getattr(s, 'hall_id', '?')}, workstation "
        f"{getattr(s, 'workstation_id', '?')}, central "
        f"{mask_url(str(getattr(s, 'central_url', '?')))}",
    )


# --- PC/SC -----------------------------------------------------------------------------------


def _pcsc_fix(options: SelfTestOptions) -> str:
    if options.windows:
        return (
            'Start the Windows "Smart Card" service (SCardSvr): services.msc > Smart Card > '
            "Startup type Automatic > Start, or as administrator `sc config SCardSvr start= auto` "
            "and `sc start SCardSvr`. Windows stops it while no reader is plugged in: plug the "
            "reader in first."
        )
    return (
        "Install and start the PC/SC daemon: `sudo apt install pcscd` and "
        "`sudo systemctl enable --now pcscd.socket pcscd.service`. Without systemd run "
        "`sudo pcscd` (or `pcscd --foreground &`)."
    )


def _pcsc_context() -> tuple[object | None, int, object | None, str]:
    """(scard module, hresult, context, problem) without raising."""
    try:
        from smartcard import scard
    except ImportError as exc:  # pyscard missing, or libpcsclite not loadable
        return None, -1, None, f"the PC/SC library could not be loaded ({exc})"
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    return scard, hresult, context, ""


def check_pcsc(options: SelfTestOptions) -> tuple[CheckResult, CheckResult]:
    """The ``pcsc_service`` and ``readers`` checks (one PC/SC context serves both)."""
    scard, hresult, context, problem = _pcsc_context()
    if scard is None:
        fix = (
            "Reinstall Hall Counter; the PC/SC client library is part of Windows."
            if options.windows
            else "Install the PC/SC client library and daemon: `sudo apt install pcscd "
            "libpcsclite1`."
        )
        service = CheckResult("pcsc_service", False, "pcsc_library_missing", problem, fix)
        readers = CheckResult(
            "readers",
            False,
            "pcsc_unavailable",
            "readers not checked: PC/SC is not available",
            "Fix pcsc_service first.",
        )
        return service, readers

    if hresult != scard.SCARD_S_SUCCESS:
        message = scard.SCardGetErrorMessage(hresult)
        if hresult == scard.SCARD_E_NO_SERVICE:
            where = "" if options.windows else f" (socket {_pcscd_socket()} not answering)"
            service = CheckResult(
                "pcsc_service",
                False,
                "pcsc_not_running",
                f"the PC/SC service is not running{where}: {message}",
                _pcsc_fix(options),
            )
        else:
            service = CheckResult(
                "pcsc_service",
                False,
                "pcsc_error",
                f"SCardEstablishContext failed: {message} (0x{hresult & 0xFFFFFFFF:08X})",
                _pcsc_fix(options),
            )
        readers = CheckResult(
            "readers",
            False,
            "pcsc_unavailable",
            "readers not checked: the PC/SC service is not available",
            "Fix pcsc_service first.",
        )
        return service, readers

    try:
        service = CheckResult(
            "pcsc_service", True, "ok", "the PC/SC service answers (SCardEstablishContext)"
        )
        hresult, names = scard.SCardListReaders(context, [])
        if hresult == scard.SCARD_S_SUCCESS and names:
            readers = CheckResult(
                "readers",
                True,
                "ok",
                f"{len(names)} reader(s): {', '.join(names)}",
            )
        elif hresult in (scard.SCARD_S_SUCCESS, scard.SCARD_E_NO_READERS_AVAILABLE):
            fix = (
                "Plug the card reader in and install its driver (most are CCID class readers "
                "that Windows supports itself); check Device Manager > Smart card readers."
                if options.windows
                else "Plug the card reader in. CCID readers need `sudo apt install "
                "libccid`; other readers need the vendor's IFD handler. `pcsc_scan` (package "
                "pcsc-tools) shows what pcscd sees."
            )
            readers = CheckResult("readers", False, "no_reader", "no card reader is attached", fix)
        else:
            readers = CheckResult(
                "readers",
                False,
                "pcsc_error",
                f"SCardListReaders failed: {scard.SCardGetErrorMessage(hresult)}",
                _pcsc_fix(options),
            )
    finally:
        scard.SCardReleaseContext(context)
    return service, readers


def _pcscd_socket() -> str:
    return os.environ.get("PCSCLITE_CSOCK_NAME") or "/run/pcscd/pcscd.comm"


# --- camera ----------------------------------------------------------------------------------


def _training_photos() -> tuple[int, int]:
    """(probe photos named by the training seed, how many of them exist)."""
    from desktop.resources import resource_path

    seed_file = resource_path("sandbox", "seed.json")
    seed = json.loads(seed_file.read_text(encoding="utf-8"))
    probes = [c.get("face_probe") for c in seed.get("citizens", []) if c.get("face_probe")]
    present = sum(1 for p in probes if (seed_file.parent / p).is_file())
    return len(probes), present


def check_camera(options: SelfTestOptions) -> CheckResult:
    """Camera ``options.camera_index`` opens and gives a frame (training: sample photos)."""
    if options.training:
        try:
            named, present = _training_photos()
        except (OSError, ValueError) as exc:
            return CheckResult(
                "camera",
                False,
                "training_photos_missing",
                f"training mode: the training seed cannot be read ({type(exc).__name__})",
                "Reinstall Hall Counter: its resources folder is incomplete.",
            )
        if named and present == named:
            return CheckResult(
                "camera",
                True,
                "training_photos",
                f"training mode: {present} sample photos stand in for the camera",
            )
        return CheckResult(
            "camera",
            False,
            "training_photos_missing",
            f"training mode: {named - present} of {named} sample photos are missing",
            "Reinstall Hall Counter: its resources folder is incomplete.",
        )

    index = options.camera_index
    no_camera_fix = (
        "Connect a USB camera (UVC). Check Device Manager > Cameras, and Settings > Privacy > "
        'Camera > "Let desktop apps access your camera".'
        if options.windows
        else "Connect a USB camera (UVC); `ls /dev/video*` should list it. Without a camera the "
        "clerk can still serve citizens with the alternative to the face check."
    )
    if not options.windows and sys.platform.startswith("linux"):
        device = Path(f"/dev/video{index}")
        if not device.exists():
            return CheckResult(
                "camera", False, "no_camera", f"no camera: {device} does not exist", no_camera_fix
            )
        if not os.access(device, os.R_OK | os.W_OK):
            return CheckResult(
                "camera",
                False,
                "camera_permission",
                f"{device} exists but this user may not open it",
                "Add the desk's user to the video group: `sudo usermod -aG video USER`, then "
                "sign out and in again.",
            )

    # OpenCV prints warnings to stderr when a device is missing; keep them out of the output.
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    try:
        import cv2
    except ImportError as exc:
        return CheckResult(
            "camera",
            False,
            "opencv_missing",
            f"OpenCV could not be loaded ({exc})",
            "Reinstall Hall Counter (OpenCV is part of it).",
        )
    capture = cv2.VideoCapture(index)
    try:
        if not capture.isOpened():
            return CheckResult(
                "camera",
                False,
                "no_camera",
                f"no camera: device {index} did not open",
                no_camera_fix,
            )
        ok, frame = capture.read()
        if not ok or frame is None:
            return CheckResult(
                "camera",
                False,
                "camera_no_frame",
                f"camera {index} opened but gave no picture",
                "Close other programs that use the camera, reconnect it, and try again.",
            )
        height, width = frame.shape[:2]
        return CheckResult("camera", True, "ok", f"camera {index} gives {width}x{height} frames")
    finally:
        capture.release()


# --- face models -----------------------------------------------------------------------------


def _find_spec(name: str):
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def check_face_models(options: SelfTestOptions) -> CheckResult:
    """dlib, face_recognition, pkg_resources and the model files are there (not imported)."""
    reinstall = "Reinstall Hall Counter: the face models are part of the package."
    missing = [
        name
        for name in ("dlib", "_dlib_pybind11", "face_recognition", "pkg_resources")
        if _find_spec(name) is None
    ]
    if missing:
        return CheckResult(
            "face_models",
            False,
            "face_library_missing",
            f"missing: {', '.join(missing)}",
            reinstall + " (From source: `uv sync`; pkg_resources comes from setuptools below 81.)",
        )
    spec = _find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        return CheckResult(
            "face_models",
            False,
            "face_models_missing",
            "face_recognition_models is not installed",
            reinstall,
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    problems = []
    total = 0
    for name in FACE_MODEL_FILES:
        path = folder / name
        try:
            size = path.stat().st_size
        except OSError:
            problems.append(f"{name} missing")
            continue
        if size == 0:
            problems.append(f"{name} empty")
        total += size
    if problems:
        return CheckResult(
            "face_models",
            False,
            "face_models_damaged",
            f"in {folder}: {', '.join(problems)}",
            reinstall,
        )
    return CheckResult(
        "face_models",
        True,
        "ok",
        f"{len(FACE_MODEL_FILES)} model files ({total / 1e6:.0f} MB) in {folder}",
    )


# --- proxy -----------------------------------------------------------------------------------


def _proxy_problem(url: str) -> str | None:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    try:
        parts.port  # noqa: B018 -- raises ValueError on a bad port
    except ValueError:
        return "has an invalid port"
    if parts.scheme not in _PROXY_SCHEMES:
        return f"has an unsupported scheme {parts.scheme!r}"
    if not parts.hostname:
        return "has no host"
    if parts.scheme.startswith("socks") and _find_spec("socks") is None:
        return "is a SOCKS proxy, which needs PySocks (not installed)"
    return None


def check_proxy(options: SelfTestOptions) -> CheckResult:
    """The proxy the desk uses for central: ``central.proxy`` of the configuration, or none.

    The desk's HTTP client ignores the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and the
    Windows system settings); the detail names such variables when they are set, so an
    administrator who expects them to apply sees that they do not.
    """
    import urllib.request

    from desktop.settings import is_loopback_host

    ignored = sorted(k for k, v in urllib.request.getproxies().items() if v and k != "no")
    note = f"; ignored from the environment: {', '.join(ignored)}" if ignored else ""
    configured = getattr(options.settings, "proxy", None)
    if configured:
        problem = _proxy_problem(configured)
        if problem:
            return CheckResult(
                "proxy",
                False,
                "proxy_invalid",
                f"the proxy {mask_url(configured)} {problem}",
                "Correct central.proxy (e.g. http://proxy.hall.example:3128) or remove it.",
            )
    url, _, _ = options.effective_central()
    if not url:
        shown = mask_url(configured) if configured else "none"
        return CheckResult("proxy", True, "not_configured", f"proxy: {shown}{note}")
    host = urlsplit(url).hostname
    if configured and is_loopback_host(host):
        return CheckResult(
            "proxy",
            False,
            "proxy_loopback",
            f"central {url} is on this machine but would go through {mask_url(configured)}",
            "Remove central.proxy from the configuration for a central on this machine.",
        )
    if configured:
        return CheckResult(
            "proxy",
            True,
            "via_proxy",
            f"central {host} is reached through {mask_url(configured)}{note}",
        )
    return CheckResult("proxy", True, "direct", f"central {host} is reached directly{note}")


# --- central, TLS and clock ------------------------------------------------------------------


def _bundle_in_use(ca_bundle: Path | None) -> str:
    # REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE do not count: the desk's client ignores them.
    if ca_bundle:
        return f"the configured CA bundle {ca_bundle}"
    try:
        import certifi

        return f"the default CA bundle {certifi.where()}"
    except ImportError:
        return "the default CA bundle"


def _peer_not_after(response) -> float | None:
    """Expiry (epoch seconds) of the server certificate of a streamed response, if known."""
    try:
        sock = response.raw.connection.sock
        cert = sock.getpeercert()
        return ssl.cert_time_to_seconds(cert["notAfter"])
    except Exception:  # urllib3 internals differ between versions; this is only a detail
        return None


def check_central(options: SelfTestOptions) -> tuple[CheckResult, CheckResult, CheckResult]:
    """The ``central``, ``tls`` and ``clock`` checks: one verified ``GET /v1/health``."""
    import requests

    from desktop.settings import is_loopback_host

    url, ca_bundle, timeout = options.effective_central()
    if not url:
        skipped = "no central configured (give --central URL or a configuration file)"
        return (
            CheckResult("central", True, "not_configured", skipped),
            CheckResult("tls", True, "not_configured", skipped),
            CheckResult("clock", True, "not_configured", skipped),
        )
    parts = urlsplit(url)
    https = parts.scheme == "https"
    bundle = _bundle_in_use(ca_bundle)
    not_checked = "not checked: central was not reached"

    if ca_bundle and not Path(ca_bundle).is_file():
        fail = CheckResult(
            "tls",
            False,
            "ca_bundle_missing",
            f"the CA bundle {ca_bundle} does not exist",
            "Put the hall's CA certificate (PEM) there, or correct central.ca_bundle.",
        )
        return (
            CheckResult("central", False, "central_not_checked", not_checked, "Fix tls first."),
            fail,
            CheckResult("clock", True, "not_checked", not_checked),
        )

    from desktop.central import CentralError, deadline, read_bounded, watched_session

    # As the desk's CentralClient: the environment (proxies, CA bundles, .netrc) is ignored,
    # verify, the client certificate and the proxy go with the request, and the whole request
    # (headers and body) has one deadline and a size limit.
    session = watched_session()
    verify: str | bool = str(ca_bundle) if ca_bundle else True
    settings = options.settings
    cert_file = getattr(settings, "client_cert", None)
    key_file = getattr(settings, "client_key", None)
    cert: str | tuple[str, str] | None = None
    if cert_file and key_file:
        cert = (str(cert_file), str(key_file))
    elif cert_file:
        cert = str(cert_file)
    proxy = getattr(settings, "proxy", None)
    proxies = {"http": proxy, "https": proxy} if proxy else {}
    session.headers["User-Agent"] = "hall-counter-self-test"
    health = url.rstrip("/") + HEALTH_PATH
    shown = mask_url(health)
    started = time.time()
    response = None
    too_large = None
    try:
        with deadline(timeout) as watch:
            try:
                response = session.get(
                    health,
                    timeout=(min(5.0, timeout), timeout),
                    verify=verify,
                    cert=cert,
                    proxies=proxies,
                    stream=True,
                    allow_redirects=False,
                )
                finished = time.time()
                not_after = _peer_not_after(response) if https else None
                read_bounded(response, MAX_HEALTH_BYTES, "health answer")
            except CentralError as exc:
                too_large = exc
            except (requests.exceptions.RequestException, OSError) as exc:
                if watch.fired:
                    raise requests.exceptions.Timeout("the deadline passed") from exc
                raise
            if watch.fired:
                raise requests.exceptions.Timeout("the deadline passed")
    except requests.exceptions.SSLError as exc:
        reason, verify_failed = _ssl_reason(exc)
        if verify_failed:
            tls = CheckResult(
                "tls",
                False,
                "tls_verify_failed",
                f"{parts.hostname}: certificate not accepted against {bundle}: {reason}",
                "Set central.ca_bundle to the hall's CA certificate file (PEM) that issued "
                "central's certificate, and check that the URL's host name is the one in the "
                "certificate. If the message says the certificate is not yet valid or has "
                "expired, check this machine's date and time first.",
            )
        else:
            tls = CheckResult(
                "tls",
                False,
                "tls_handshake_failed",
                f"{parts.hostname}: the TLS handshake failed: {reason}",
                "Check that the URL's port speaks HTTPS. Central may require a TLS version, "
                "cipher or client certificate this desk does not offer; a central that speaks "
                "only the national TLCP (SM2) protocol needs a gateway in front of it. Ask "
                "central's operators which TLS settings they require.",
            )
        return (
            CheckResult(
                "central",
                False,
                "central_tls_failed",
                f"{shown}: the TLS handshake failed",
                "See the tls check.",
            ),
            tls,
            CheckResult("clock", True, "not_checked", not_checked),
        )
    except requests.exceptions.Timeout:
        return (
            CheckResult(
                "central",
                False,
                "central_timeout",
                f"{shown}: no answer within {timeout:g} s",
                "Check the network and firewall path to central (port "
                f"{parts.port or (443 if https else 80)}), and the proxy check.",
            ),
            CheckResult("tls", True, "not_checked", not_checked),
            CheckResult("clock", True, "not_checked", not_checked),
        )
    except (requests.exceptions.RequestException, ValueError) as exc:
        return (
            CheckResult(
                "central",
                False,
                "central_unreachable",
                f"{shown}: {_connection_reason(exc)}",
                "Check the central URL in the configuration, the network cable or Wi-Fi, "
                "DNS, the firewall, and the proxy check.",
            ),
            CheckResult("tls", True, "not_checked", not_checked),
            CheckResult("clock", True, "not_checked", not_checked),
        )
    finally:
        if response is not None:
            response.close()
        session.close()

    rtt = max(0.0, finished - started)
    problem = None
    if response.status_code == 200:
        problem = (
            f"the answer is larger than {MAX_HEALTH_BYTES} bytes"
            if too_large is not None
            else health_problem(response.headers.get("Content-Type"), response.content)
        )
    if response.status_code == 200 and problem is None:
        central = CheckResult("central", True, "ok", f"{shown} answered 200 in {rtt * 1000:.0f} ms")
    elif response.status_code == 200:
        central = CheckResult(
            "central",
            False,
            "central_bad_answer",
            f"{shown} answered 200, but {problem}: this is not Hall Counter's central",
            "Check the central URL; a network that shows a sign-in page (captive portal) or a "
            "web server at that address answers like this.",
        )
    else:
        central = CheckResult(
            "central",
            False,
            "central_bad_status",
            f"{shown} answered HTTP {response.status_code}",
            "Check the central URL (scheme, host, port and path prefix) with the central "
            "system's operators."
            if response.status_code < 500
            else "Central reports a problem of its own; tell its operators.",
        )

    if https:
        detail = f"{parts.hostname}: certificate verified against {bundle}"
        if not_after is not None:
            days = (not_after - time.time()) / 86400
            expires = time.strftime("%Y-%m-%d", time.gmtime(not_after))
            detail += f"; valid until {expires} ({days:.0f} days)"
        tls = CheckResult("tls", True, "ok", detail)
    elif is_loopback_host(parts.hostname):
        tls = CheckResult(
            "tls", True, "plain_http_loopback", "plain HTTP to a central on this machine (training)"
        )
    else:  # settings refuse this; only a hand-built URL gets here
        tls = CheckResult(
            "tls",
            False,
            "plain_http",
            f"{mask_url(url)} is plain HTTP to another machine",
            "Use an https:// URL for central.",
        )

    clock = _clock_check(response.headers.get("Date"), started, finished, options.max_clock_skew)
    return central, tls, clock


def health_problem(content_type: str | None, body: bytes) -> str | None:
    """What is wrong with a 200 answer of ``/v1/health`` (docs/api.md: a JSON object with
    ``"status": "ok"``), or None when it is right."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        return f"its content type is {media or 'missing'}, not application/json"
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "its body is not JSON"
    if not isinstance(document, dict):
        return "its body is not a JSON object"
    if document.get("status") != "ok":
        return 'its body does not say "status": "ok"'
    return None


def _clock_check(date_header: str | None, started: float, finished: float, limit: float):
    if not date_header:
        return CheckResult(
            "clock", True, "no_date_header", "central's answer carried no Date header to compare"
        )
    try:
        server = email.utils.parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError):
        return CheckResult(
            "clock", True, "no_date_header", f"central's Date header is unreadable: {date_header!r}"
        )
    # Date has one-second resolution and was stamped somewhere during the round trip.
    local = (started + finished) / 2
    skew = server - local
    slack = (finished - started) / 2 + 1.0
    if abs(skew) > limit + slack:
        direction = "behind" if skew > 0 else "ahead of"
        return CheckResult(
            "clock",
            False,
            "clock_skew",
            f"this machine's clock is {abs(skew):.0f} s {direction} central's "
            f"(limit {limit:.0f} s)",
            "Turn on time synchronisation: `sudo timedatectl set-ntp true` (or chrony/ntp "
            "pointed at the hall's time server); on Windows Settings > Time & language > "
            "Sync now, or `w32tm /resync` as administrator.",
        )
    return CheckResult(
        "clock",
        True,
        "ok",
        f"this machine's clock is within {max(abs(skew), 1):.0f} s of central's",
    )


def _ssl_reason(exc: Exception) -> tuple[str, bool]:
    """(the innermost SSL error's message, whether it was a certificate verification failure).

    requests wraps urllib3's errors, which wrap the ssl module's; follow the chain down.
    """
    seen = set()
    current: BaseException | None = exc
    reason, verify = str(exc), False
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return f"certificate verify failed: {current.verify_message}", True
        if isinstance(current, ssl.SSLError):
            reason = current.reason or str(current)
        nxt = current.__cause__ or current.__context__ or getattr(current, "reason", None)
        if not isinstance(nxt, BaseException):
            nxt = next((a for a in current.args if isinstance(a, BaseException)), None)
        current = nxt
    return reason, verify


def _connection_reason(exc: Exception) -> str:
    import requests

    text = str(exc)
    for marker in ("Name or service not known", "Temporary failure in name resolution"):
        if marker in text:
            return "the host name does not resolve (DNS)"
    if isinstance(exc, requests.exceptions.ProxyError):
        return "the proxy could not be reached or refused the connection"
    if "Connection refused" in text:
        return "connection refused (nothing listens on that port)"
    return type(exc).__name__


# --- data directory, disk and key store ------------------------------------------------------


def _nearest_existing(path: Path) -> Path:
    current = path
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def check_disk(options: SelfTestOptions) -> CheckResult:
    """Free space on the data directory's volume is at least ``options.min_free_bytes``."""
    where = _nearest_existing(Path(options.data_dir).expanduser().resolve())
    try:
        usage = shutil.disk_usage(where)
    except OSError as exc:
        return CheckResult(
            "disk", False, "disk_error", f"cannot measure free space at {where}: {exc}", ""
        )
    gib = 1024**3
    detail = f"{usage.free / gib:.1f} GiB free of {usage.total / gib:.1f} GiB at {where}"
    if usage.free < options.min_free_bytes:
        return CheckResult(
            "disk",
            False,
            "disk_low",
            detail + f" (needs {options.min_free_bytes / 1024**2:.0f} MiB)",
            "Free space on that volume, or move the data directory (--data-dir) to a larger one.",
        )
    return CheckResult("disk", True, "ok", detail)


def check_data_dir(options: SelfTestOptions) -> CheckResult:
    """The data directory exists or can be created, is writable and is not world-readable."""
    data_dir = Path(options.data_dir).expanduser()
    if not data_dir.exists():
        parent = _nearest_existing(data_dir.resolve())
        if parent.is_dir() and os.access(parent, os.W_OK | os.X_OK):
            return CheckResult(
                "data_dir",
                True,
                "data_dir_creatable",
                f"{data_dir} does not exist yet; it will be created user-only on first use",
            )
        return CheckResult(
            "data_dir",
            False,
            "data_dir_not_writable",
            f"{data_dir} does not exist and cannot be created ({parent} is not a writable folder)",
            f"Create it for the desk's user (`mkdir -m 700 {data_dir}`) or choose another with "
            "--data-dir.",
        )
    if not data_dir.is_dir():
        return CheckResult(
            "data_dir",
            False,
            "data_dir_not_directory",
            f"{data_dir} exists but is not a folder",
            "Move that file away or choose another data directory with --data-dir.",
        )
    try:
        fd, probe = tempfile.mkstemp(prefix=".self-test-", dir=data_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return CheckResult(
            "data_dir",
            False,
            "data_dir_not_writable",
            f"{data_dir} is not writable: {exc.strerror or exc}",
            f"Give the desk's user ownership: `sudo chown -R USER: {data_dir}`.",
        )
    if os.name == "posix":
        mode = stat.S_IMODE(data_dir.stat().st_mode)
        if mode & 0o007:
            return CheckResult(
                "data_dir",
                False,
                "data_dir_world_readable",
                f"{data_dir} has mode {mode:04o}: other users can look inside",
                f"`chmod 700 {data_dir}` (the outbox is encrypted, but its folder should still "
                "be private).",
            )
        return CheckResult("data_dir", True, "ok", f"{data_dir} is writable, mode {mode:04o}")
    return CheckResult(
        "data_dir", True, "ok", f"{data_dir} is writable (access follows the user profile's ACL)"
    )


def check_keyring(options: SelfTestOptions) -> CheckResult:
    """Where the outbox data key lives: an OS keyring, or the user-only key file."""
    from desktop.crypto import DataKeyStore

    outbox_dir = Path(options.outbox_dir or options.data_dir)
    store = DataKeyStore(outbox_dir, key_dir=options.key_dir)
    key_dir = store.key_dir.expanduser().resolve()
    data_dir = Path(options.data_dir).expanduser().resolve()
    if key_dir == data_dir or data_dir in key_dir.parents:
        return CheckResult(
            "keyring",
            False,
            "key_dir_inside_data_dir",
            f"the key folder {key_dir} is inside the data directory",
            "Point HALL_COUNTER_KEY_DIR outside the data directory (or unset it).",
        )
    description = store.description()
    key_file = store.key_file
    if key_file.exists():
        if os.name == "posix":
            loose = [
                f"{p} is {stat.S_IMODE(p.stat().st_mode):04o}"
                for p in (key_file, key_file.parent)
                if stat.S_IMODE(p.stat().st_mode) & 0o077
            ]
            if loose:
                return CheckResult(
                    "keyring",
                    False,
                    "key_file_permissions",
                    f"{description}, but {'; '.join(loose)}",
                    f"`chmod 700 {key_file.parent} && chmod 600 {key_file}`",
                )
        return CheckResult("keyring", True, "key_file", description)
    if description.startswith("OS keyring"):
        return CheckResult("keyring", True, "keyring_os", description)
    # No keyring: the key file will be created on first use; its folder must be writable.
    parent = _nearest_existing(key_dir)
    if parent.is_dir() and os.access(parent, os.W_OK | os.X_OK):
        return CheckResult(
            "keyring",
            True,
            "key_file",
            f"no usable OS keyring; the outbox key will be created in {key_file} "
            "(readable only by this user)",
        )
    return CheckResult(
        "keyring",
        False,
        "key_dir_not_writable",
        f"no usable OS keyring and the key folder {key_dir} cannot be created",
        "Make the user's configuration folder writable, or set HALL_COUNTER_KEY_DIR to a "
        "user-only folder outside the data directory.",
    )


# --- running ---------------------------------------------------------------------------------


def _crashed(name: str, exc: Exception) -> CheckResult:
    return CheckResult(
        name,
        False,
        "check_failed",
        f"the check itself failed: {type(exc).__name__}",
        "Send the diagnostics archive (`hall-counter diagnostics FILE`) to support.",
    )


def _guarded(name: str, fn: Callable[[], CheckResult]) -> CheckResult:
    try:
        return fn()
    except Exception as exc:  # one broken check must not hide the others
        log.warning("self-test check %s raised", name, exc_info=True)
        return _crashed(name, exc)


def _guarded_many(
    names: tuple[str, ...], fn: Callable[[], tuple[CheckResult, ...]]
) -> tuple[CheckResult, ...]:
    try:
        return tuple(fn())
    except Exception as exc:
        log.warning("self-test checks %s raised", ", ".join(names), exc_info=True)
        return tuple(_crashed(name, exc) for name in names)


def run_self_test(options: SelfTestOptions) -> SelfTestReport:
    """Run every check; never raises for a failing check."""
    started = time.monotonic()
    checks: list[CheckResult] = [_guarded("config", lambda: check_config(options))]
    checks += _guarded_many(("pcsc_service", "readers"), lambda: check_pcsc(options))
    checks.append(_guarded("camera", lambda: check_camera(options)))
    checks.append(_guarded("face_models", lambda: check_face_models(options)))
    checks += _guarded_many(("central", "tls", "clock"), lambda: check_central(options))
    checks.append(_guarded("proxy", lambda: check_proxy(options)))
    checks.append(_guarded("disk", lambda: check_disk(options)))
    checks.append(_guarded("data_dir", lambda: check_data_dir(options)))
    checks.append(_guarded("keyring", lambda: check_keyring(options)))
    report = SelfTestReport(tuple(checks))
    failed = [c.name for c in report.checks if not c.ok]
    log.info(
        "self-test: %d checks, failed: %s (%.0f ms)",
        len(report.checks),
        ", ".join(failed) or "none",
        (time.monotonic() - started) * 1000,
    )
    return report
