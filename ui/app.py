"""The composition root: builds the desk from settings with real or simulated devices.

Data directories. A production desk (``--config FILE``) keeps its outbox in the data directory
itself. Training (the embedded sandbox, ``demo`` without ``--config``, the GUI's ``--training``)
uses ``<data dir>/training/`` instead, so training cases never sit in a production outbox and
never reach a production central. That folder holds:

- ``outbox.db``: the training outbox;
- ``sandbox.db``: the embedded sandbox's database (central's side of training);
- ``workstation.json`` (0600): the training workstation's credentials from the seed, written by
  ``demo`` and training mode, read by ``outbox drain`` when no ``--config`` is given.

The outbox data key itself is never in the data directory (see :mod:`desktop.crypto`).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Literal

from desktop.catalog import Catalog
from desktop.central import CentralClient
from desktop.desk import Desk
from desktop.heartbeat import DEFAULT_INTERVAL as HEARTBEAT_INTERVAL
from desktop.heartbeat import HEARTBEAT_TIMEOUT, HeartbeatSender
from desktop.outbox import FreezePolicy, OutboxService
from desktop.resources import resource_path
from desktop.settings import Settings, check_central_url
from desktop.sync import Backoff, SyncLoop

log = logging.getLogger(__name__)

TRAINING_DIR = "training"
WORKSTATION_FILE = "workstation.json"
SANDBOX_DB = "sandbox.db"
# Days of generated history the training central starts with (for the hall dashboard).
TRAINING_HISTORY_DAYS = 21


def seed_path() -> Path:
    """The bundled training seed."""
    return resource_path("sandbox", "seed.json")


def load_seed(path: Path | None = None) -> dict[str, Any]:
    """The training seed as a dict (paths in it are relative to the file)."""
    return json.loads((path or seed_path()).read_text(encoding="utf-8"))


def training_data_dir(data_dir: Path) -> Path:
    """Where training keeps its outbox, sandbox database and workstation file."""
    return Path(data_dir) / TRAINING_DIR


def make_outbox(
    settings: Settings,
    data_dir: Path,
    *,
    backoff: Backoff | None = None,
    sync: bool = True,
) -> OutboxService:
    """The outbox with its sync loop sending to ``settings.central_url`` as the workstation.

    The freeze rule and the backoff come from the settings' ``[outbox]`` table unless
    ``backoff`` is given; ``sync=False`` builds it without a sync loop (``outbox import``).
    """
    backoff = backoff or Backoff(
        base=settings.outbox_backoff_base_seconds, cap=settings.outbox_backoff_cap_seconds
    )

    def make_sync(outbox: OutboxService) -> SyncLoop:
        client = CentralClient.from_settings(settings)
        return SyncLoop(
            outbox, client, settings.workstation_id, settings.workstation_secret, backoff=backoff
        )

    return OutboxService(
        data_dir,
        crypto_suite=settings.crypto_suite,
        retention_days=settings.outbox_retention_days,
        sync_factory=make_sync if sync else None,
        freeze=FreezePolicy.from_settings(settings),
    )


def default_card_profiles() -> list[Path]:
    """The sample cards of training mode (resources/cards/c0*.json)."""
    return sorted(resource_path("cards").glob("c0*.json"))


def build_desk(
    settings: Settings,
    *,
    reader: Literal["sim", "pcsc"] = "sim",
    data_dir: Path,
    sim_reader: Any | None = None,
    reader_name: str | None = None,
    face: bool = True,
    kiosk: bool = False,
    backoff: Backoff | None = None,
    heartbeat_seconds: float | None = HEARTBEAT_INTERVAL,
    camera_source: int | str | Path | None = None,
    camera_mirror: bool | None = None,
) -> Desk:
    """Build a Desk (not started) for ``settings`` with its outbox in ``data_dir``.

    ``reader="sim"`` uses ``sim_reader`` (a SimulatedCardReader the caller drives) or a new one
    holding the sample cards; ``reader="pcsc"`` the PC/SC reader ``reader_name`` (the first one
    with a card when None). ``face=False`` builds the desk without a face worker.
    ``heartbeat_seconds`` is how often the desk reports to central (None: never).
    ``camera_source`` (a device index, a video file or a folder of pictures) and
    ``camera_mirror`` override the configuration's camera (see :func:`camera_factory`).
    """
    from desktop.card_service import CardService

    if reader == "sim":
        if sim_reader is None:
            from devices.card.simulated import SimulatedCardReader

            sim_reader = SimulatedCardReader(default_card_profiles())
        chosen = sim_reader

        def reader_factory():
            return chosen
    elif reader == "pcsc":
        from devices.card.pcsc import PcscCardReader

        def reader_factory():
            return PcscCardReader(reader_name)
    else:
        raise ValueError(f"unknown reader kind {reader!r}")

    face_worker = None
    if face:
        from devices.face.matcher import DEFAULT_THRESHOLD
        from devices.face.worker import FaceWorker

        face_worker = FaceWorker(threshold=settings.face_threshold or DEFAULT_THRESHOLD)

    client = CentralClient.from_settings(settings)
    outbox = make_outbox(settings, data_dir, backoff=backoff)
    heartbeat = None
    if heartbeat_seconds:
        heartbeat = HeartbeatSender(
            outbox,
            CentralClient.from_settings(settings, timeout=HEARTBEAT_TIMEOUT),
            settings.workstation_id,
            settings.workstation_secret,
            interval=heartbeat_seconds,
        )
    return Desk(
        settings,
        card_service=CardService(reader_factory),
        outbox=outbox,
        client=client,
        catalog=Catalog(client, data_dir, training=settings.training),
        face_worker=face_worker,
        kiosk=kiosk,
        heartbeat=heartbeat,
        camera_factory=camera_factory(settings, camera_source, camera_mirror),
        face_liveness=face_liveness(settings, camera_source),
    )


# --- the camera ------------------------------------------------------------------------------


def configured_camera(
    settings: Settings, source: int | str | Path | None = None, mirror: bool | None = None
) -> tuple[int | str | Path | None, bool]:
    """The camera source and mirror flag: the arguments, else the configuration's
    ``[camera]`` table (``source``, ``mirror``), else device 0 on a real desk and none in
    training mode."""
    section = getattr(settings, "camera", None)
    if source is None and section is not None:
        source = getattr(section, "source", None)
    if mirror is None:
        mirror = bool(getattr(section, "mirror", False)) if section is not None else False
    if source is None and not settings.training:
        source = 0
    if isinstance(source, str) and not source.strip():
        source = None
    return source, bool(mirror)


def face_liveness(settings: Settings, source: int | str | Path | None = None) -> bool:
    """Whether face checks run the liveness challenge: always, except on a training desk
    without a camera, whose sample photos cannot perform one."""
    return configured_camera(settings, source)[0] is not None


def camera_factory(
    settings: Settings, source: int | str | Path | None = None, mirror: bool | None = None
):
    """``factory(session) -> Camera`` for the desk's face checks (a new camera per check).

    A configured source opens that camera; a training desk without one plays the seed's sample
    photo of the card's holder (devices.camera.still), or has no camera when the seed has none.
    """
    source, mirror = configured_camera(settings, source, mirror)
    if source is not None:
        # A device is asked for the configured frame size ([camera] width, height).
        section = getattr(settings, "camera", None)
        size = {}
        is_device = isinstance(source, int) or (isinstance(source, str) and source.isdigit())
        if is_device and section is not None and getattr(section, "width", None):
            size = {"width": section.width, "height": section.height}

        def open_configured(_session):
            from devices.camera import open_camera

            return open_camera(source, mirror=mirror, **size)

        return open_configured

    def open_sample(session):
        from devices.camera.still import StillCamera

        picture = sample_probe(session.record.card_no, session.record.ssn)
        return StillCamera(picture) if picture else None

    return open_sample


def sample_probe(card_no: str, ssn: str | None, seed_file: Path | None = None) -> bytes | None:
    """The training seed's sample probe photo of a card's holder, None if it has none."""
    seed_file = seed_file or seed_path()
    seed = load_seed(seed_file)
    for citizen in seed.get("citizens", []):
        if citizen.get("card_no") == card_no and (ssn is None or citizen.get("ssn") == ssn):
            probe = citizen.get("face_probe")
            return (seed_file.parent / probe).read_bytes() if probe else None
    log.info("no sample photo for this card in the training seed")
    return None


# --- training --------------------------------------------------------------------------------


def training_settings(central_url: str, seed: dict[str, Any] | None = None) -> Settings:
    """Settings for the seed's hall and workstation W01 against a training central."""
    seed = seed or load_seed()
    ws = next((w for w in seed["workstations"] if w["id"] == "W01"), seed["workstations"][0])
    return Settings(
        central_url=check_central_url(central_url),
        hall_id=seed["hall"]["id"],
        workstation_id=ws["id"],
        workstation_secret=ws["secret"],
        training=True,
    )


def store_training_workstation(data_dir: Path, settings: Settings) -> Path:
    """Keep the training workstation's credentials for ``outbox drain`` (user-only file)."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / WORKSTATION_FILE
    payload = {
        "mode": "training",
        "hall_id": settings.hall_id,
        "workstation_id": settings.workstation_id,
        "workstation_secret": settings.workstation_secret,
        "central_url": settings.central_url,
    }
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)
    os.replace(tmp, path)
    return path


def load_training_workstation(data_dir: Path, central_url: str) -> Settings | None:
    """Settings from a stored training workstation, talking to ``central_url``; None if absent."""
    path = data_dir / WORKSTATION_FILE
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Settings(
        central_url=check_central_url(central_url),
        hall_id=data["hall_id"],
        workstation_id=data["workstation_id"],
        workstation_secret=data["workstation_secret"],
        training=True,
    )


class TrainingCentral:
    """The embedded sandbox on loopback for training, its database in the training data dir.

    ``start()`` returns Settings for the seed's workstation W01 pointing at it; ``stop()``
    shuts the server down. Usable as a context manager. The sandbox writes a generated history
    of ``history_days`` days (see sandbox.history) so the supervisor's dashboard has something
    to show; ``history_seed`` makes it reproducible.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        seed: Path | None = None,
        port: int = 0,
        history_days: int = TRAINING_HISTORY_DAYS,
        history_seed: int | None = None,
    ):
        self.data_dir = Path(data_dir)
        self.seed_path = seed or seed_path()
        self.port = port
        self.history_days = history_days
        self.history_seed = history_seed
        self._sandbox = None
        self.url: str | None = None

    def start(self) -> Settings:
        """Start the sandbox on 127.0.0.1 and return the training settings."""
        from sandbox.server import EmbeddedSandbox

        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._sandbox = EmbeddedSandbox(
            self.data_dir / SANDBOX_DB,
            self.seed_path,
            host="127.0.0.1",
            port=self.port,
            history_days=self.history_days,
            history_seed=self.history_seed,
        )
        self.url = self._sandbox.start()
        log.info("training central listening on %s", self.url)
        return training_settings(self.url, load_seed(self.seed_path))

    def stop(self) -> None:
        """Stop the sandbox (idempotent)."""
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None

    def __enter__(self) -> Settings:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
