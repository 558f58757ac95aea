"""The ``demo --headless`` command: a scripted clerk serves citizens through the real code paths.

``hall-counter demo --headless [--reader sim|pcsc] [--central URL] [--cases N] [--pin PIN]
[--wait S] [--no-wait] [--user USER] [--face check|decline]``

- Central: without ``--central`` an embedded sandbox on 127.0.0.1 (training; its database and
  the training outbox live in ``<data dir>/training``). With ``--central`` that central, as the
  training seed's workstation W01 (or the workstation of ``--config``).
- Sign-in: the training seed's clerk ``clerk01``, or ``--user`` with the password from the
  environment variable ``HALL_COUNTER_PASSWORD``.
- Cards: ``sim`` inserts the sample cards ``resources/cards/c0*.json`` in turn into the simulated
  reader, PIN from the profile unless ``--pin``; ``pcsc`` reads the card in the PC/SC reader
  again for every case and needs ``--pin``.
- Face: the citizen's probe photo from ``resources/sandbox/faces`` (sim: the seed's citizen of
  the card's profile; pcsc: the seed's citizen with the card's ID number) against the reference
  photo from central. Fallback, documented: when no probe is known or the face does not match,
  the face check counts as unavailable/no match and, in training, the seed's supervisor
  ``super01`` co-signs the case as the service's rules require (face_declined/face_override);
  outside training such a case is skipped (``case_skipped``). With ``--face decline`` every
  citizen declines the face check (design 4.4's alternative: the supervisor co-signs, in
  training); no face worker is started, which makes the crash and load benchmarks fast.
- Central failing: the scripted clerk tries sign-in, the catalog and a co-signature again a
  few times when central is unavailable (as a clerk would press again); a lookup that fails
  makes the case "identity checked offline", as at a real desk. A desk that refuses new cases
  (the outbox's freeze rule) skips the case with reason ``outbox_frozen``.
- Service: the unemployment benefit claim (PIN and face) with the form's example values.

Events, one JSON object per line: ``card_read``, ``pin_verified``/``pin_failed``,
``face_checked``, ``cosigned``, ``case_queued`` (only after the outbox commit), ``case_sent``,
``case_rejected``, ``case_skipped``, ``summary``. No personal data in any event. Exit 0 when every
case was queued and, unless ``--no-wait``, sent within ``--wait`` seconds; 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ui.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE

log = logging.getLogger(__name__)

DEMO_SERVICE = "unemployment_benefit"
TRAINING_CLERK = "clerk01"
TRAINING_SUPERVISOR = "super01"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add this module's commands to the parser."""
    parser = subparsers.add_parser(
        "demo",
        help="a scripted clerk serves citizens (headless)",
        description="A scripted clerk serves N citizens through the real code paths.",
    )
    parser.add_argument("--headless", action="store_true", help="no GUI; JSON events on stdout")
    parser.add_argument("--reader", choices=("sim", "pcsc"), default="sim", help="card reader")
    parser.add_argument("--reader-name", help="PC/SC reader name (pcsc; default: the first)")
    parser.add_argument("--central", metavar="URL", help="central (default: embedded sandbox)")
    parser.add_argument("--cases", type=int, default=5, metavar="N", help="citizens to serve")
    parser.add_argument("--pin", help="card PIN (training and tests only)")
    parser.add_argument(
        "--wait", type=float, default=60.0, metavar="S", help="wait up to S s for sends (60)"
    )
    parser.add_argument("--no-wait", action="store_true", help="do not wait for the sends")
    parser.add_argument("--user", help="staff user (password from HALL_COUNTER_PASSWORD)")
    parser.add_argument(
        "--face",
        choices=("check", "decline"),
        default="check",
        help="check each face against central's photo (default), or have citizens decline",
    )
    parser.set_defaults(handler=run_demo)


# A scripted clerk presses again this many times when central is unavailable.
CENTRAL_TRIES = 6


def _retrying(call, timeout: float = 60, *, budget: float | None = None):
    """``call().result(timeout)``, tried again while central is unavailable.

    ``budget`` (seconds) bounds the whole: no new try starts after it, and a try in progress
    is waited for only until it ends (DeskError ``central_unavailable``).
    """
    from concurrent.futures import TimeoutError as FutureTimeout

    from desktop.errors import DeskError

    end = None if budget is None else time.monotonic() + max(0.0, budget)
    for attempt in range(CENTRAL_TRIES):
        wait = timeout if end is None else max(0.0, min(timeout, end - time.monotonic()))
        try:
            return call().result(wait)
        except FutureTimeout as exc:
            raise DeskError("central_unavailable", "central did not answer in time") from exc
        except DeskError as exc:
            if exc.code != "central_unavailable" or attempt == CENTRAL_TRIES - 1:
                raise
            pause = min(2.0, 0.1 * 2**attempt)
            if end is not None and time.monotonic() + pause >= end:
                raise
            time.sleep(pause)
    raise AssertionError("unreachable")


class EventPrinter:
    """Prints demo events as JSON lines; holds back send events until the case is printed."""

    def __init__(self, stream=None):
        self._stream = stream or sys.stdout
        self._lock = threading.Condition()
        self._printed: set[str] = set()  # local ids whose case_queued is out
        self._held: dict[str, list[dict[str, Any]]] = {}
        self.sent: set[str] = set()
        self.rejected: set[str] = set()

    def emit(self, event: str, **fields: Any) -> None:
        with self._lock:
            self._write({"event": event, **fields})

    def _write(self, obj: dict[str, Any]) -> None:
        self._stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
        self._stream.flush()

    def queued(self, index: int, queued: Any) -> None:
        with self._lock:
            self._write(
                {
                    "event": "case_queued",
                    "index": index,
                    "local_id": queued.local_id,
                    "idempotency_key": queued.idempotency_key,
                    "service": queued.service,
                }
            )
            self._printed.add(queued.local_id)
            for held in self._held.pop(queued.local_id, []):
                self._account(held)
            self._lock.notify_all()

    def _account(self, obj: dict[str, Any]) -> None:
        self._write(obj)
        if obj["event"] == "case_sent":
            self.sent.add(obj["local_id"])
        else:
            self.rejected.add(obj["local_id"])
        self._lock.notify_all()

    def _sync_event(self, obj: dict[str, Any]) -> None:
        with self._lock:
            if obj["local_id"] in self._printed:
                self._account(obj)
            else:  # the send overtook our case_queued line, or a case of an earlier run
                self._held.setdefault(obj["local_id"], []).append(obj)

    # DeskListener methods used here (worker threads)
    def on_case_sent(self, local_id: str, central_id: str) -> None:
        self._sync_event({"event": "case_sent", "local_id": local_id, "central_id": central_id})

    def on_case_rejected(self, local_id: str, reason: str) -> None:
        self._sync_event({"event": "case_rejected", "local_id": local_id, "reason": reason})

    def wait_all_settled(self, local_ids: set[str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not local_ids <= (self.sent | self.rejected):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(remaining)
            return True


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"demo: {message}", file=sys.stderr)
    return code


class _ProbeFinder:
    """Finds a citizen's probe photo in the training seed (by card profile or ID number)."""

    def __init__(self, seed_file: Path, seed: dict[str, Any]):
        self._base = seed_file.parent
        self._citizens = seed.get("citizens", [])

    def by_profile(self, profile: Path) -> Path | None:
        target = profile.resolve()
        for citizen in self._citizens:
            if (self._base / citizen.get("card_profile", "")).resolve() == target:
                return self._probe(citizen)
        return None

    def by_ssn(self, ssn: str | None) -> Path | None:
        for citizen in self._citizens:
            if ssn and citizen.get("ssn") == ssn:
                return self._probe(citizen)
        return None

    def _probe(self, citizen: dict[str, Any]) -> Path | None:
        name = citizen.get("face_probe")
        path = self._base / name if name else None
        return path if path is not None and path.is_file() else None

    def supervisor_password(self, seed: dict[str, Any]) -> str | None:
        for staff in seed.get("staff", []):
            if staff.get("username") == TRAINING_SUPERVISOR:
                return staff.get("password")
        return None


def run_demo(args: argparse.Namespace) -> int:
    """Handler of ``demo``."""
    if not args.headless:
        return _fail(
            "only --headless is available here; the GUI demo is `hall-counter --training`",
            EXIT_USAGE,
        )
    if args.cases < 1:
        return _fail("--cases must be at least 1", EXIT_USAGE)
    if args.pin is not None:
        from devices.card.ssc import PIN_MAX_DIGITS, PIN_MIN_DIGITS

        if not (args.pin.isascii() and args.pin.isdigit()) or not (
            PIN_MIN_DIGITS <= len(args.pin) <= PIN_MAX_DIGITS
        ):
            return _fail(f"--pin must be {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits", EXIT_USAGE)
    if args.reader == "pcsc" and not args.pin:
        return _fail("--reader pcsc needs --pin (the PIN of the card in the reader)", EXIT_USAGE)
    if args.user and not os.environ.get("HALL_COUNTER_PASSWORD"):
        return _fail("--user needs the password in HALL_COUNTER_PASSWORD", EXIT_USAGE)
    if args.config is not None and not args.user:
        return _fail(
            "with --config, give --user (the seed's clerk exists only in training)", EXIT_USAGE
        )

    from desktop.settings import SettingsError, load_settings
    from ui.app import (
        TrainingCentral,
        load_seed,
        seed_path,
        store_training_workstation,
        training_data_dir,
        training_settings,
    )

    seed_file = seed_path()
    seed = load_seed(seed_file)
    training_central = None
    root = Path(args.data_dir)
    if root.exists() and not root.is_dir():
        return _fail(f"--data-dir {root} is not a folder", EXIT_USAGE)
    try:
        if args.config is not None:
            settings = load_settings(args.config)
            if args.central:
                settings = settings.with_central(args.central)
            data_dir = Path(args.data_dir)
        else:
            data_dir = training_data_dir(args.data_dir)
            if args.central:
                settings = training_settings(args.central, seed)
            else:
                training_central = TrainingCentral(data_dir, seed=seed_file)
                settings = training_central.start()
            stored = store_training_workstation(data_dir, settings)
            _mark_central(stored, given=bool(args.central))
    except SettingsError as exc:
        if training_central is not None:
            training_central.stop()
        return _fail(str(exc), EXIT_USAGE)
    except OSError as exc:
        if training_central is not None:
            training_central.stop()
        return _fail(f"cannot prepare the data folder: {exc.strerror or exc}")
    # SIGTERM (a service manager, `kill`) stops the demo as Ctrl+C does: the desk and the
    # training central stop in order, and queued cases stay in the outbox for a later drain.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _serve(args, settings, data_dir, seed_file, seed)
    finally:
        try:
            if training_central is not None:
                training_central.stop()
        finally:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


#: In workstation.json: true when the training central was given with --central (``outbox
#: drain`` then sends there), false for the embedded sandbox (``drain`` starts it again).
CENTRAL_GIVEN_KEY = "central_given"


def _mark_central(path: Path, *, given: bool) -> None:
    """Record in the stored training workstation whether its central was given (user-only)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data[CENTRAL_GIVEN_KEY] = given
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


def _serve(args, settings, data_dir: Path, seed_file: Path, seed: dict[str, Any]) -> int:
    from desktop.audit import AuditError
    from desktop.errors import DeskError, OutboxError
    from ui.app import build_desk, default_card_profiles

    printer = EventPrinter()
    finder = _ProbeFinder(seed_file, seed)
    if args.user:
        username, password = args.user, os.environ["HALL_COUNTER_PASSWORD"]
    else:
        username = TRAINING_CLERK
        password = next(s["password"] for s in seed["staff"] if s["username"] == username)

    sim_reader = None
    profiles: list[Path] = []
    if args.reader == "sim":
        from devices.card.simulated import SimulatedCardReader

        profiles = default_card_profiles()
        if not profiles:
            return _fail("no sample card profiles in resources/cards")
        sim_reader = SimulatedCardReader(profiles)

    desk = build_desk(
        settings,
        reader=args.reader,
        data_dir=data_dir,
        sim_reader=sim_reader,
        reader_name=args.reader_name,
        face=args.face == "check",
    )
    desk.add_listener(printer)
    queued_ids: set[str] = set()
    try:
        try:
            desk.start()
        except OutboxError as exc:
            return _fail(f"the outbox cannot open: {exc.code}: {exc.detail}")
        except AuditError as exc:
            return _fail(f"the audit trail cannot open: {exc.code}: {exc.detail}")
        except DeskError as exc:
            return _fail(f"the desk cannot start: {exc.code}: {exc.detail}")
        try:
            # --wait bounds the time spent waiting for central, here as for the sends.
            budget = max(1.0, args.wait)
            _retrying(lambda: desk.sign_in(username, password), budget=budget)
            services = {s.code: s for s in _retrying(desk.services, budget=budget)}
        except DeskError as exc:
            return _fail(f"cannot start serving: {exc.code}")
        service = services.get(DEMO_SERVICE)
        if service is None:
            return _fail(f"central offers no {DEMO_SERVICE} service")
        examples = service.form.get("examples") or [{}]
        form = dict(examples[0])

        for index in range(args.cases):
            profile = profiles[index % len(profiles)] if profiles else None
            local_id = _serve_one(
                desk, printer, finder, seed, index, form, args, sim_reader, profile, settings
            )
            if local_id:
                queued_ids.add(local_id)

        settled = True
        if not args.no_wait and queued_ids:
            settled = printer.wait_all_settled(queued_ids, max(0.0, args.wait))
    finally:
        desk.stop()

    sent = len(queued_ids & printer.sent)
    rejected = len(queued_ids & printer.rejected)
    printer.emit("summary", queued=len(queued_ids), sent=sent, rejected=rejected)
    ok = len(queued_ids) == args.cases and (args.no_wait or (settled and sent == args.cases))
    return EXIT_OK if ok else EXIT_FAILED


def _serve_one(desk, printer, finder, seed, index, form, args, sim_reader, profile, settings):
    """Serve one citizen; return the queued case's local id, or None."""
    from desktop.errors import DeskError

    if sim_reader is not None:
        from devices.card.emulator import load_profile

        sim_reader.insert(profile)
        pin = args.pin or load_profile(profile)["pin"]
    else:
        pin = args.pin
    try:
        try:
            session = desk.begin_citizen().result(60)
        except DeskError as exc:
            printer.emit("case_skipped", index=index, reason=exc.code)
            return None
        record = session.record
        printer.emit(
            "card_read",
            index=index,
            generation=record.generation,
            card_status=session.card_status,
            offline=session.offline,
            warnings=list(session.warnings),
        )

        try:
            # The card's PIN state first, as at the desk: a blocked PIN is never sent.
            state = desk.pin_state(session).result(30)
            if state.blocked:
                printer.emit("pin_failed", index=index, status="blocked", tries_left=0)
                return None
            result = desk.verify_pin(session, pin).result(30)
        except DeskError as exc:
            printer.emit("pin_failed", index=index, status=exc.code, tries_left=None)
            return None
        del pin
        if result.status != "ok":
            printer.emit(
                "pin_failed", index=index, status=result.status, tries_left=result.tries_left
            )
            return None
        printer.emit("pin_verified", index=index, tries_left=result.tries_left)

        probe = finder.by_profile(profile) if profile is not None else finder.by_ssn(record.ssn)
        if args.face == "decline":
            desk.decline_face(session)
            printer.emit("face_checked", index=index, decision="declined", distance=None)
        elif probe is None:
            printer.emit(
                "face_checked",
                index=index,
                decision="unavailable",
                distance=None,
                reason="no_probe",
            )
        else:
            try:
                face = desk.check_face(session, probe.read_bytes()).result(300)
                check = session.face
                printer.emit(
                    "face_checked",
                    index=index,
                    decision=check.decision if check else "unavailable",
                    distance=check.distance if check else None,
                    threshold=check.threshold if check else face.threshold,
                    quality=face.quality,
                )
            except DeskError as exc:
                printer.emit(
                    "face_checked",
                    index=index,
                    decision="unavailable",
                    distance=None,
                    reason=exc.code,
                )

        cosign = None
        if session.face is None or session.face.decision != "match":
            supervisor_password = finder.supervisor_password(seed)
            if not settings.training or supervisor_password is None:
                printer.emit("case_skipped", index=index, reason="face_required")
                return None
            try:
                reason = (
                    "demo: face check declined"
                    if args.face == "decline"
                    else "demo: face check not matched"
                )
                cosign = _retrying(
                    lambda: desk.cosign(TRAINING_SUPERVISOR, supervisor_password, reason)
                )
            except DeskError as exc:
                printer.emit("case_skipped", index=index, reason=exc.code)
                return None
            printer.emit("cosigned", index=index, supervisor=cosign.supervisor)

        try:
            queued = desk.submit(session, DEMO_SERVICE, form, cosign=cosign).result(60)
        except DeskError as exc:
            printer.emit("case_skipped", index=index, reason=exc.code, fields=sorted(exc.fields))
            return None
        printer.queued(index, queued)
        return queued.local_id
    finally:
        desk.end_citizen()
        if sim_reader is not None:
            sim_reader.remove()
