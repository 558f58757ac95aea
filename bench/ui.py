"""GUI bench: how long the clerk window's GUI thread stalls while the desk works, in one run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui.py [--source CLIP] [--seconds 30]
        [--baseline 10] [--tick-ms 5] [--central process|inprocess] [--parts card,face,outbox]
        [--trace]

A QTimer heartbeat on the GUI thread fires every ``--tick-ms`` ms; each tick's lateness (the
gap since the previous tick less the interval) is what a clerk would feel as a frozen window.
Two phases in the same process, on the real clerk window of a training desk (embedded sandbox
on loopback, simulated card reader, face worker process, outbox with its sync loop):

1. **baseline**: the window signed in and idle, nothing running;
2. **load**: all at once, round after round, for ``--seconds``:
   - card reads: the sample card goes in (the card is read, central looked up, the PIN tries
     asked), and a reader thread re-reads the card's identity every 100 ms;
   - the live face check, clicked through the window: consent, then a live check on a camera
     playing ``--source`` (a video file or a folder of pictures), the preview on screen; when it
     is decided, the clerk tries again;
   - outbox sync: a thread queues a case every 100 ms and the sync loop sends each to central.

Printed for each phase: ticks, the longest stall, p99 and p50 (ms); for the load phase also the
preview's frame rate (frames shown per second while a check was live), the frames the camera
delivered to the check, checks decided and cases queued and sent. Goals: longest stall at most
50 ms and preview at least 15 frames a second. Nothing here is asserted by the tests.

Central runs as a ``hall-counter sandbox`` child process by default, as a real desk's central
is elsewhere; ``--central inprocess`` runs it inside the desk's process, as training mode does
(its request handling then shares the desk's GIL). ``--parts`` picks the load. ``--trace``
samples where the GUI thread is during stalls over 40 ms, times the face panel's state changes
and the garbage collector, and lists each stall over 30 ms with the panel changes just before
it. A full (generation 2) collection of the desk's start-up objects stalled the GUI for
100 ms and more when central ran in the desk's process; the program therefore calls
``gc.freeze()`` once the desk has started (ui/qt/main.py), and so does this bench, unless
``--no-gc-freeze`` asks for the old behaviour to compare. On a machine shared with other
work, compare with a plain sleep loop in another process: stalls both see are the machine's,
not the window's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
# The repository first: this file's own name would otherwise shadow the ``ui`` package.
sys.path.insert(0, str(REPO))
sys.path.append(str(REPO / "bench"))

STALL_GOAL_MS = 50.0
FPS_GOAL = 15.0
DEFAULT_SOURCE = REPO.parent / "shared" / "faces" / "video" / "clip-a.mp4"


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1), linear between ranks."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


class Heartbeat:
    """A QTimer on the GUI thread; records each tick's lateness in ms."""

    def __init__(self, tick_ms: int) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.tick_ms = tick_ms
        self.late: list[float] = []
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.late = []
        self.times: list[float] = []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> list[float]:
        self._timer.stop()
        return self.late

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late.append(max(0.0, (now - self._last) * 1000.0 - self.tick_ms))
        self.times.append(now)
        self._last = now


def spin(app, seconds: float, until=None) -> bool:
    """Run the event loop for up to ``seconds``; True when ``until()`` became true."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.monotonic() + seconds
    result = {"met": until is None}

    def poll() -> None:
        if until is not None and until():
            result["met"] = True
            loop.quit()
        elif time.monotonic() >= deadline:
            loop.quit()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(poll)
    timer.start()
    loop.exec()
    timer.stop()
    return result["met"]


def _case(seed: dict, index: int):
    from desktop.contract import CaseSubmission, CitizenRef, CoSign, FaceCheck, IdentityCheck

    citizen = seed["citizens"][index % len(seed["citizens"])]
    now = datetime.now(UTC)
    return CaseSubmission(
        local_id=f"W01-UIBENCH-{index:06d}",
        service="unemployment_benefit",
        hall_id=seed["hall"]["id"],
        workstation_id="W01",
        clerk="clerk01",
        created_at=now,
        citizen=CitizenRef(ssn=citizen["ssn"], card_no=citizen["card_no"]),
        identity=IdentityCheck(pin="ok", face=FaceCheck(decision="declined")),
        form={
            "reason_for_leaving": "contract_expired",
            "last_employer": "示例贸易有限公司",
            "insured_months": 36,
            "amount": 2130.5,
        },
        cosign=CoSign(supervisor="super01", reason="bench: face check declined", at=now),
    )


# Functions a thread sits in while it waits (not holding the GIL).
_WAITING = frozenset(
    {
        "wait",
        "select",
        "poll",
        "_recv",
        "recv",
        "recv_into",
        "get",
        "accept",
        "sleep",
        "_sleep",
        "_wait_for_tstate_lock",
        "join",
        "readinto",
        "acquire",
        "_read_results",
        "run_forever",
    }
)


class StallSampler:
    """With ``--trace``: a thread that samples the GUI thread's stack whenever the heartbeat
    is overdue by more than ``threshold_ms``, and counts where it was (for finding stalls)."""

    def __init__(self, heartbeat: Heartbeat, threshold_ms: float = 20.0) -> None:
        self.heartbeat = heartbeat
        self.threshold_s = threshold_ms / 1000.0
        self.gui = threading.get_ident()
        self.places: dict[str, int] = {}
        self.others: dict[str, int] = {}  # where the other threads were, not waiting
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import traceback

        while not self._stop.wait(0.002):
            overdue = time.perf_counter() - self.heartbeat._last
            if overdue < self.threshold_s:
                continue
            frame = sys._current_frames().get(self.gui)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)[-6:]
            key = " <- ".join(
                f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(stack)
            )
            self.places[key] = self.places.get(key, 0) + 1
            names = {t.ident: t.name for t in threading.enumerate()}
            for ident, other in sys._current_frames().items():
                if ident in (self.gui, threading.get_ident()):
                    continue
                top = traceback.extract_stack(other)[-1]
                if top.name in _WAITING:
                    continue
                where = (
                    f"[{names.get(ident, '?')}] {Path(top.filename).name}:{top.lineno}:{top.name}"
                )
                self.others[where] = self.others.get(where, 0) + 1


class Load:
    """The background work of the load phase (reader re-reads, outbox queueing)."""

    def __init__(self, desk, seed: dict, parts: set[str]) -> None:
        self.desk = desk
        self.seed = seed
        self.stop_event = threading.Event()
        self.queued = 0
        self.rereads = 0
        self._threads = []
        if "outbox" in parts:
            self._threads.append(
                threading.Thread(target=self._queue_cases, name="bench-outbox", daemon=True)
            )
        if "card" in parts:
            self._threads.append(
                threading.Thread(target=self._reread, name="bench-card", daemon=True)
            )

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self._threads:
            thread.join()

    def _queue_cases(self) -> None:
        index = int(uuid.uuid4().int % 100000) * 1000
        while not self.stop_event.wait(0.1):
            try:
                self.desk.outbox.enqueue(_case(self.seed, index)).result(30)
                self.queued += 1
            except Exception as exc:  # a refused case is still load
                print(f"  (enqueue failed: {type(exc).__name__})", file=sys.stderr)
            index += 1

    def _reread(self) -> None:
        while not self.stop_event.wait(0.1):
            try:
                self.desk.card_service.reread_identity().result(30)
                self.rereads += 1
            except Exception:
                pass  # no card in the reader just now


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=str(DEFAULT_SOURCE), help="camera source")
    parser.add_argument("--seconds", type=float, default=30.0, help="load phase length")
    parser.add_argument("--baseline", type=float, default=10.0, help="baseline phase length")
    parser.add_argument("--tick-ms", type=int, default=5, help="heartbeat interval")
    parser.add_argument(
        "--central",
        choices=("process", "inprocess"),
        default="process",
        help="central as a child process (like a remote one; default) or in the desk's process "
        "(as training mode runs it)",
    )
    parser.add_argument(
        "--parts",
        default="card,face,outbox",
        help="what runs in the load phase (comma-separated: card, face, outbox)",
    )
    parser.add_argument(
        "--no-gc-freeze",
        dest="gc_freeze",
        action="store_false",
        help="skip the gc.freeze() the program makes once the desk is up (to compare)",
    )
    parser.add_argument(
        "--trace", action="store_true", help="sample where the GUI thread is during stalls"
    )
    args = parser.parse_args(argv)

    from crash import Sandbox, isolated_env
    from PySide6.QtWidgets import QApplication, QPushButton

    from desktop.resources import resource_path
    from desktop.sync import Backoff
    from devices.card.simulated import SimulatedCardReader
    from ui.app import TrainingCentral, build_desk, load_seed, training_settings
    from ui.qt.clerk_window import ClerkWindow
    from ui.qt.i18n import LanguageManager

    app = QApplication.instance() or QApplication(["bench-ui"])
    seed = load_seed()
    folder = Path(tempfile.mkdtemp(prefix="hall-counter-bench-ui-"))
    # Keys and per-user folders inside the bench folder, never the user's.
    env = isolated_env(folder)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[name] = env[name]
    os.environ["HALL_COUNTER_KEY_DIR"] = env["HALL_COUNTER_KEY_DIR"]
    os.environ["PYTHON_KEYRING_BACKEND"] = env["PYTHON_KEYRING_BACKEND"]
    if args.central == "process":
        # Central in a process of its own, as a real desk's central is on another machine.
        central = Sandbox(folder, env, faults="")
        settings = training_settings(central.url, seed)
    else:
        central = TrainingCentral(folder / "central", history_days=1)
        settings = central.start()
    reader = SimulatedCardReader()
    desk = build_desk(
        settings,
        reader="sim",
        sim_reader=reader,
        data_dir=folder / "desk",
        backoff=Backoff(base=0.05, cap=0.5, floor=0.02),
        heartbeat_seconds=None,
        camera_source=args.source,
    )
    languages = LanguageManager(app)
    window = ClerkWindow(desk, languages)
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    load = Load(desk, seed, parts)
    try:
        desk.start()
        window.show()
        password = next(s["password"] for s in seed["staff"] if s["username"] == "clerk01")
        window.sign_in_page.username.setText("clerk01")
        window.sign_in_page.password.setText(password)
        window.sign_in_page._button.click()
        page = window.serve_page
        if not spin(app, 60, lambda: window.pages.currentWidget() is page):
            print("sign-in did not finish", file=sys.stderr)
            return 1
        print("waiting for the face worker to load its models ...", file=sys.stderr)
        desk.face_worker.wait_ready(180)
        spin(app, 1.0)
        if args.gc_freeze:
            import gc

            # As the program does once the desk has started (ui/qt/main.py).
            gc.freeze()

        heartbeat = Heartbeat(args.tick_ms)
        heartbeat.start()
        spin(app, args.baseline)
        baseline = heartbeat.stop()

        panel = page.face_panel
        agree = window.findChild(QPushButton, "faceAgreeButton")
        again = window.findChild(QPushButton, "faceCheckButton")
        end = window.findChild(QPushButton, "endServiceButton")
        card = resource_path("cards", "c01.json")
        load.start()
        heartbeat.start()
        sampler = StallSampler(heartbeat, 40.0) if args.trace else None
        changes: list[tuple[float, str, float]] = []
        collections: list[tuple[int, float]] = []
        if sampler is not None:
            import gc

            gc_started = [0.0]

            def gc_timer(phase: str, info: dict) -> None:
                if phase == "start":
                    gc_started[0] = time.perf_counter()
                else:
                    ms = (time.perf_counter() - gc_started[0]) * 1000.0
                    collections.append((info["generation"], ms))

            gc.callbacks.append(gc_timer)
            sampler.start()
            original_apply = panel._apply_state

            def timed_apply() -> None:
                began = time.perf_counter()
                original_apply()
                changes.append((began, panel.state, (time.perf_counter() - began) * 1000.0))

            panel._apply_state = timed_apply
        started = time.monotonic()
        live_seconds = 0.0
        frames = 0
        checks = 0
        outcomes: dict[str, int] = {}
        converted_before = page._face_relay.frames_converted
        while time.monotonic() - started < args.seconds:
            reader.insert(card)
            if not spin(app, 60, lambda: panel.state == "consent"):
                print("  (no consent screen)", file=sys.stderr)
                break
            if "face" not in parts:
                spin(app, 2.0)
                end.click()
                reader.remove()
                spin(app, 0.3)
                continue
            agree.click()
            for attempt in range(2):
                if attempt:
                    again.click()
                spin(app, 60, lambda: panel.state == "live")
                live_from = time.monotonic()
                spin(app, 60, lambda: panel.state == "result")
                live_seconds += time.monotonic() - live_from
                frames += panel.frames_shown
                checks += 1
                outcome = panel.outcome
                if outcome is not None:
                    key = outcome.reason or outcome.decision
                    outcomes[key] = outcomes.get(key, 0) + 1
                if time.monotonic() - started >= args.seconds:
                    break
            end.click()
            reader.remove()
            spin(app, 0.3)
        loaded = heartbeat.stop()
        if sampler is not None:
            gc.callbacks.remove(gc_timer)
            for generation in (0, 1, 2):
                times = [ms for g, ms in collections if g == generation]
                if times:
                    print(
                        f"  gc generation {generation}: {len(times)} collections, "
                        f"longest {max(times):.1f} ms"
                    )
            ticks = heartbeat.times
            for index, late in enumerate(loaded):
                if late < 30.0:
                    continue
                at = ticks[index]
                near = [
                    (c[1], round((at - c[0]) * 1000), round(c[2], 1))
                    for c in changes
                    if -0.05 < at - c[0] < 0.3
                ]
                print(
                    f"  stall {late:6.1f} ms; panel changes just before (state, ms ago, ms): {near}"
                )
        if sampler is not None:
            sampler.stop()
            for place, count in sorted(sampler.places.items(), key=lambda kv: -kv[1])[:15]:
                print(f"  stalled {count:4d} x {place}")
            for place, count in sorted(sampler.others.items(), key=lambda kv: -kv[1])[:25]:
                print(f"  meanwhile {count:4d} x {place}")
        load.stop()
        converted = page._face_relay.frames_converted - converted_before
        spin(app, 3.0)
        sent = desk.outbox.counts().get("sent", 0) if hasattr(desk.outbox, "counts") else None
    finally:
        window.close()
        desk.stop()
        central.stop()

    def line(name: str, late: list[float]) -> str:
        return (
            f"{name:<10} ticks {len(late):>6}   longest stall {max(late, default=0):7.1f} ms   "
            f"p99 {percentile(late, 0.99):6.1f} ms   p50 {percentile(late, 0.5):5.1f} ms"
        )

    fps = frames / live_seconds if live_seconds else 0.0
    print(f"GUI heartbeat every {args.tick_ms} ms, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}")
    print(line("baseline", baseline))
    print(line("load", loaded))
    print(
        f"preview    {fps:.1f} frames/s shown while live ({frames} frames in "
        f"{live_seconds:.1f} s; {converted} converted on the camera thread)"
    )
    print(
        f"work       {checks} face checks decided {outcomes}, {load.rereads} card re-reads, "
        f"{load.queued} cases queued" + (f", {sent} sent" if sent is not None else "")
    )
    longest = max(loaded, default=0.0)
    print(
        f"goals      longest stall {longest:.1f} <= {STALL_GOAL_MS:.0f} ms: "
        f"{'met' if longest <= STALL_GOAL_MS else 'MISSED'};   preview {fps:.1f} >= "
        f"{FPS_GOAL:.0f} fps: {'met' if fps >= FPS_GOAL else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
