"""The face worker: face work in a separate process, so dlib never blocks the GUI.

dlib's encoder holds the GIL for ~100 ms per face, which would freeze the GUI thread if it ran
in the desk's process. The worker is a child process started with the "spawn" method (fork is
unsafe with Qt and threads), started once and reused: it loads the models once and keeps the
reference encodings of the current session, keyed by a SHA-256 of the reference bytes. Photos
cross the process boundary as encoded bytes and camera frames as arrays, through pipes; nothing
touches disk, and the child drops every frame once its check is decided.

Two kinds of work:

- ``submit(reference, probe)``: verify one probe picture (a photo or a frame);
- ``start_live_check(reference, challenge)``: a liveness challenge judged on camera frames fed
  as they come (``LiveCheck.feed``, or the camera calls ``LiveCheck.on_frame_ready``), then
  verification of the best frame of the check, once the challenge is passed.

Threads: every public method may be called from any thread and never blocks on face work. A
sender thread feeds the child's pipe; a result thread reads the child's answers, completes the
futures, calls the live checks' listeners, and watches the child, so a crash fails the pending
work at once and the next call starts a new child.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from typing import Any

import numpy as np

from devices.face import liveness as live
from devices.face import quality
from devices.face.live import (
    CANDIDATE_GRACE_S,
    LiveCheck,
    LiveCheckListener,
    LiveProgress,
    _resolve,
)
from devices.face.liveness import DEFAULT_TIME_LIMIT_S, LivenessChallenge, LivenessJudge
from devices.face.matcher import (
    DEFAULT_THRESHOLD,
    FaceError,
    FaceMatcher,
    FaceModelsMissingError,
    FaceResult,
    Observation,
    Reference,
)
from devices.face.quality import QualityGates

log = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("spawn")

# How many reference encodings the child keeps; a desk serves one citizen at a time, a few
# extra cover going back to the previous citizen without re-encoding.
REFERENCE_CACHE_SIZE = 4

# Frame qualities whose landmarks the liveness judge does not get (see _Server.live_frame).
_UNJUDGEABLE = frozenset({quality.NO_FACE, quality.UNREADABLE, quality.TOO_SMALL})

# Liveness outcome when the face that performed the challenge is not the face compared.
FACE_CHANGED = "face_changed"

# The child's scheduling niceness (added to the desk's): it yields the CPU to the GUI thread.
WORKER_NICENESS = 5

# How often the result thread looks at the live checks' wall-clock deadlines.
_WATCH_INTERVAL_S = 0.25


class FaceWorkerError(FaceError):
    """The face worker could not answer: it crashed, was stopped, or failed unexpectedly."""


@dataclass
class _Child:
    """One incarnation of the worker process and what belongs to it."""

    process: Any  # multiprocessing SpawnProcess
    outbox: queue.SimpleQueue  # messages waiting for the sender thread
    requests: Connection  # write end of the pipe to the child
    results: Connection  # read end of the pipe from the child
    pending: dict[int, Future[FaceResult]] = field(default_factory=dict)
    checks: dict[int, LiveCheck] = field(default_factory=dict)
    ready: threading.Event = field(default_factory=threading.Event)  # models loaded
    answered: threading.Event = field(default_factory=threading.Event)  # loaded or missing
    closed: bool = False
    sender: threading.Thread | None = None
    reader: threading.Thread | None = None  # the only thread that waits for (reaps) the process


class FaceWorker:
    """Runs a :class:`FaceMatcher` in a child process and hands results back as futures.

    ``start()`` is optional (the first job starts the child) and returns at once; the models
    load in the child while the first jobs wait in its queue. Call ``stop()`` on exit; it lets
    queued jobs finish for up to ``timeout`` seconds. ``gates`` and ``reference_gates`` are the
    matcher's quality limits (a hall may tune them; docs/face.md).
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        gates: QualityGates | None = None,
        reference_gates: QualityGates | None = None,
        reference_cache_size: int = REFERENCE_CACHE_SIZE,
    ) -> None:
        if not 0.0 < threshold <= 2.0:
            raise ValueError(f"face threshold must be in (0, 2], got {threshold}")
        self._threshold = float(threshold)
        self._gates = gates
        self._reference_gates = reference_gates
        self._cache_size = max(1, reference_cache_size)
        self._lock = threading.Lock()
        self._child: _Child | None = None
        self._stopped = False
        self._job_ids = itertools.count(1)
        self._references_encoded = 0

    @property
    def threshold(self) -> float:
        """The distance threshold the child's matcher uses."""
        return self._threshold

    @property
    def pid(self) -> int | None:
        """Process id of the running child, None when there is none."""
        with self._lock:
            child = self._child
            if child is None or child.closed:
                return None
            return child.process.pid

    @property
    def references_encoded(self) -> int:
        """How many reference photos the worker has encoded (the rest came from its cache)."""
        with self._lock:
            return self._references_encoded

    def start(self) -> None:
        """Start the child process if it is not running; returns without waiting for it."""
        with self._lock:
            if self._stopped:
                raise FaceWorkerError("face worker stopped")
            self._ensure_child()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block up to ``timeout`` s until the child has loaded the models (starting it if
        needed); False on timeout, when the models are missing or the worker was stopped.

        Optional: work submitted before waits in the child's queue anyway. The desk may use
        it to say "face check starting" instead of showing a camera that does not react.
        """
        with self._lock:
            if self._stopped:
                return False
            child = self._ensure_child()
        child.answered.wait(timeout)
        return child.ready.is_set()

    def submit(self, reference: bytes, probe: bytes | np.ndarray) -> Future[FaceResult]:
        """Verify ``probe`` (encoded image bytes or an RGB frame) against ``reference`` bytes.

        Returns at once, from any thread. The future holds a :class:`FaceResult`, or raises
        :class:`FaceModelsMissingError` when the child has no models, or
        :class:`FaceWorkerError` when the child died or the worker was stopped.
        """
        future: Future[FaceResult] = Future()
        future.set_running_or_notify_cancel()  # queued work cannot be called back
        if not isinstance(probe, np.ndarray):
            probe = bytes(probe)
        with self._lock:
            if self._stopped:
                future.set_exception(FaceWorkerError("face worker stopped"))
                return future
            child = self._ensure_child()
            job_id = next(self._job_ids)
            child.pending[job_id] = future
            child.outbox.put(("verify", job_id, bytes(reference), probe))
        return future

    def start_live_check(
        self,
        reference: bytes | None,
        challenge: LivenessChallenge | None = None,
        *,
        time_limit_s: float = DEFAULT_TIME_LIMIT_S,
        listener: LiveCheckListener | None = None,
        drop_frames: bool = True,
    ) -> LiveCheck:
        """Start a liveness challenge (random unless given) followed by verification.

        ``reference`` is the reference photo's bytes, or None for a liveness check alone
        (the result then has no decision). Feed the returned :class:`LiveCheck` with frames;
        ``listener.on_live_progress`` hears about every judged frame. The check ends when the
        challenge is passed and a good frame compared, when ``time_limit_s`` of frame time
        has passed, on ``finish()``/``cancel()``, or ``time_limit_s`` plus a grace period of
        wall-clock time after the start, whichever is first.
        """
        if not time_limit_s > 0.0:
            raise ValueError(f"time_limit_s must be positive, got {time_limit_s}")
        challenge = challenge or LivenessChallenge.random()
        with self._lock:
            if self._stopped:
                raise FaceWorkerError("face worker stopped")
            child = self._ensure_child()
            job_id = next(self._job_ids)
            check = LiveCheck(self, job_id, challenge, time_limit_s, listener, drop_frames)
            child.pending[job_id] = check.result
            child.checks[job_id] = check
            child.outbox.put(
                (
                    "live_start",
                    job_id,
                    None if reference is None else bytes(reference),
                    challenge.action,
                    float(time_limit_s),
                )
            )
        log.debug("live check %d started: %s", job_id, challenge.action)
        return check

    def check_liveness(
        self,
        reference: bytes | None,
        challenge: LivenessChallenge,
        frames: Iterable[tuple[float, np.ndarray]],
        *,
        time_limit_s: float = DEFAULT_TIME_LIMIT_S,
        listener: LiveCheckListener | None = None,
    ) -> Future[FaceResult]:
        """Judge a recorded sequence of ``(timestamp, RGB frame)``: every frame, in order."""
        check = self.start_live_check(
            reference, challenge, time_limit_s=time_limit_s, listener=listener, drop_frames=False
        )
        for timestamp, image in frames:
            if not check.feed(image, timestamp):
                break
        check.finish()
        return check.result

    def clear_references(self) -> None:
        """Drop the reference encodings the child holds (e.g. when a citizen session ends)."""
        with self._lock:
            child = self._child
            if child is not None and not child.closed:
                child.outbox.put(("clear",))

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the child and the worker's threads; idempotent.

        Queued jobs still finish if the child gets through them within ``timeout``; after that
        the child is terminated and the futures left fail with :class:`FaceWorkerError`.
        """
        with self._lock:
            self._stopped = True
            child, self._child = self._child, None
        if child is None:
            return

        # Live checks still running are decided now with the frames they had: nobody will
        # feed them any more.
        with self._lock:
            checks = list(child.checks)
        for job_id in checks:
            child.outbox.put(("live_finish", job_id))

        # The result thread reaps the child (multiprocessing's join is not safe from two
        # threads at once), so waiting for the child means waiting for that thread.
        child.outbox.put(None)  # the sender passes it on: the child's signal to finish
        assert child.reader is not None and child.sender is not None
        child.reader.join(timeout)
        if child.reader.is_alive():
            log.warning("face worker did not stop within %.1f s; terminating it", timeout)
            child.process.terminate()
            child.reader.join(2.0)
        if child.reader.is_alive():
            child.process.kill()
            child.reader.join()
        child.sender.join()
        log.info("face worker stopped")

    def __enter__(self) -> FaceWorker:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- internals ---------------------------------------------------------------------------

    def _send_live(self, job_id: int, message: tuple) -> None:
        with self._lock:
            child = self._child
            if child is None or child.closed or job_id not in child.checks:
                return
            child.outbox.put(message)

    def _cancel_live(self, job_id: int) -> None:
        with self._lock:
            child = self._child
            if child is None or child.closed:
                return
            child.pending.pop(job_id, None)
            check = child.checks.pop(job_id, None)
            child.outbox.put(("live_cancel", job_id))
        if check is not None:
            check._on_done()

    def _ensure_child(self) -> _Child:
        """Return the running child, starting a new one if needed. Caller holds the lock."""
        if self._child is not None and not self._child.closed:
            return self._child

        requests_recv, requests_send = _CONTEXT.Pipe(duplex=False)
        results_recv, results_send = _CONTEXT.Pipe(duplex=False)
        process = _CONTEXT.Process(
            target=_serve,
            args=(
                requests_recv, results_send, self._threshold, self._gates,
                self._reference_gates, self._cache_size,
            ),
            name="hall-counter-face",
            daemon=True,  # never outlive the desk, even if stop() is missed
        )  # fmt: skip
        process.start()
        # Drop our copies of the child's ends: a write to a dead child then fails with
        # BrokenPipeError instead of blocking, and a read from it ends with EOFError.
        requests_recv.close()
        results_send.close()

        child = _Child(
            process=process, outbox=queue.SimpleQueue(), requests=requests_send,
            results=results_recv,
        )  # fmt: skip
        child.sender = threading.Thread(
            target=_send_requests, args=(child,), name="face-worker-requests", daemon=True
        )
        child.reader = threading.Thread(
            target=self._read_results, args=(child,), name="face-worker-results", daemon=True
        )
        child.sender.start()
        child.reader.start()
        self._child = child
        log.info("face worker started (pid %s)", process.pid)
        return child

    def _read_results(self, child: _Child) -> None:
        """Result thread: complete futures from the child's answers until the child ends."""
        try:
            while True:
                ready = wait([child.results, child.process.sentinel], _WATCH_INTERVAL_S)
                if child.results in ready:
                    self._handle(child, child.results.recv())
                    continue
                if ready:
                    # The child ended: take what it sent before it went.
                    while child.results.poll():
                        self._handle(child, child.results.recv())
                    break
                self._watch_deadlines(child)
        except (EOFError, OSError):
            pass  # the child closed its end or died
        except Exception:
            # A bug here must not leave futures hanging: end this child; the next call
            # starts a fresh one.
            log.exception("face worker result thread failed; stopping the child")
            child.process.kill()
        finally:
            child.process.join()  # it has ended or is ending: it closed its pipe or died
            code = child.process.exitcode
            with self._lock:
                child.closed = True
                pending, child.pending = child.pending, {}
                checks, child.checks = child.checks, {}
            child.outbox.put(None)  # lets the sender thread end if it is idle
            child.answered.set()
            child.results.close()
            if pending:
                log.error("face worker ended (exit code %s), %d job(s) failed", code, len(pending))
            elif code not in (0, None):
                log.warning("face worker ended with exit code %s", code)
            for check in checks.values():
                check._on_done()
            for future in pending.values():
                _fail(future, FaceWorkerError(f"face worker ended (exit code {code})"))

    def _watch_deadlines(self, child: _Child) -> None:
        now = time.monotonic()
        with self._lock:
            checks = list(child.checks.values())
        for check in checks:
            check._check_deadline(now)

    def _handle(self, child: _Child, message: tuple) -> None:
        kind = message[0]
        if kind == "ready":
            log.info("face worker ready: models loaded in %.0f ms", message[1])
            child.ready.set()
            child.answered.set()
            return
        if kind == "unavailable":
            log.error("face worker: %s", message[1])
            child.answered.set()
            return
        job_id = message[1]
        if kind in ("live_ready", "live_progress"):
            with self._lock:
                check = child.checks.get(job_id)
            if check is not None and kind == "live_ready":
                check._on_ready()
            elif check is not None:
                check._on_progress(message[2])
            return
        with self._lock:
            future = child.pending.pop(job_id, None)
            check = child.checks.pop(job_id, None)
            if kind == "result" and message[3]:
                self._references_encoded += 1
        if check is not None:
            check._on_done()
        if future is None:
            return
        if kind == "result":
            _resolve(future, message[2])
        elif kind == "models_missing":
            _fail(future, FaceModelsMissingError(message[2]))
        else:
            _fail(future, FaceWorkerError(message[2]))


def _fail(future: Future[FaceResult], error: Exception) -> None:
    if not future.done():
        future.set_exception(error)


def _send_requests(child: _Child) -> None:
    """Sender thread: move messages from the outbox into the child's pipe.

    The pipe holds only 64 KiB, so writing a photo or a frame blocks until the child reads
    it, which it does only between jobs and frames; this thread takes that wait so that no
    caller ever blocks.
    """
    try:
        while True:
            message = child.outbox.get()
            if message is None and child.closed:
                break
            child.requests.send(message)
            if message is None:
                break
    except OSError:
        pass  # BrokenPipeError: the child is gone; the result thread fails its jobs
    finally:
        child.requests.close()


# -- the child process -----------------------------------------------------------------------


@dataclass
class _Candidate:
    """The best frame of a live check so far: the one to compare once the challenge passes."""

    score: tuple[float, float]
    rgb: np.ndarray
    seen: Observation
    observe_ms: float


@dataclass
class _LiveJob:
    """A live check's state in the child."""

    challenge: LivenessChallenge
    judge: LivenessJudge
    reference: Reference | None  # None: liveness alone
    encoded: bool  # the reference was encoded for this check (not from the cache)
    candidate: _Candidate | None = None
    passed_at: float | None = None  # frame time the challenge was passed
    action: tuple[np.ndarray, Observation] | None = None  # the frame that passed it
    last: Observation | None = None


class _Server:
    """The child's side: the matcher, the reference cache and the live checks."""

    def __init__(self, results: Connection, matcher: FaceMatcher | None, cache_size: int):
        self.results = results
        self.matcher = matcher
        self.cache_size = cache_size
        self.references: OrderedDict[bytes, Reference] = OrderedDict()
        self.jobs: dict[int, _LiveJob] = {}

    def reference(self, data: bytes) -> tuple[Reference, bool]:
        """The encoded reference for these bytes, from the cache when it is there."""
        assert self.matcher is not None
        key = hashlib.sha256(data).digest()
        reference = self.references.get(key)
        if reference is not None:
            self.references.move_to_end(key)
            return reference, False
        reference = self.matcher.encode_reference(data)
        self.references[key] = reference
        while len(self.references) > self.cache_size:
            self.references.popitem(last=False)
        return reference, True

    def verify(self, job_id: int, reference_bytes: bytes, probe: bytes | np.ndarray) -> None:
        assert self.matcher is not None
        reference, encoded = self.reference(reference_bytes)
        result = self.matcher.verify(reference, probe)
        self.results.send(("result", job_id, result, encoded))

    def live_start(
        self, job_id: int, reference_bytes: bytes | None, action: str, time_limit_s: float
    ) -> None:
        assert self.matcher is not None
        challenge = LivenessChallenge(action)  # type: ignore[arg-type]
        reference, encoded = (None, False)
        if reference_bytes is not None:
            reference, encoded = self.reference(reference_bytes)
            if not reference.usable:
                # Nothing to compare against: no point in asking the citizen to perform.
                # verify() reports an unusable reference without looking at the probe.
                result = self.matcher.verify(reference, b"")
                self.results.send(("result", job_id, result, encoded))
                return
        self.jobs[job_id] = _LiveJob(
            challenge=challenge,
            judge=LivenessJudge(challenge, time_limit_s),
            reference=reference,
            encoded=encoded,
        )
        self.results.send(("live_ready", job_id))

    def live_frame(self, job_id: int, timestamp: float, rgb: np.ndarray) -> None:
        job = self.jobs.get(job_id)
        if job is None:
            return  # decided or cancelled: the frame is dropped
        assert self.matcher is not None
        started = time.perf_counter()
        seen = self.matcher.observe(rgb)
        observe_ms = (time.perf_counter() - started) * 1000.0
        job.last = seen

        # Landmarks of a face below the size gate are too noisy to judge a blink or a turn;
        # a blurred or turned face is fine (a turn is meant to turn, and may smear).
        usable = seen.points is not None and seen.quality not in _UNJUDGEABLE
        state = job.judge.feed(timestamp, seen.points if usable else None)

        if seen.judgeable and seen.measures is not None:
            # The frame to compare: the most frontal one, then the sharpest.
            score = (-abs(seen.measures.turn), seen.measures.sharpness)
            if job.candidate is None or score > job.candidate.score:
                job.candidate = _Candidate(score, rgb, seen, observe_ms)

        if state.outcome == live.PASSED:
            if job.passed_at is None:
                job.passed_at = timestamp
                job.action = (rgb, seen)
            waited = timestamp - job.passed_at
            if job.candidate is not None or job.reference is None or waited > CANDIDATE_GRACE_S:
                self._decide(job_id, job)
                return
            # Passed, but no frame yet good enough to compare: say what is wrong with them.
            status, prompt = "passed", seen.prompt
        elif state.done:
            self._decide(job_id, job)
            return
        else:
            status = state.status
            prompt = seen.prompt if not usable else state.prompt
        progress = LiveProgress(
            status=status,
            prompt=prompt,
            progress=state.progress,
            elapsed_s=state.elapsed_s,
            faces=seen.faces,
            quality=seen.quality,
            box=seen.box,
            timestamp=timestamp,
        )
        self.results.send(("live_progress", job_id, progress))

    def live_finish(self, job_id: int) -> None:
        job = self.jobs.get(job_id)
        if job is not None:
            job.judge.finish()
            self._decide(job_id, job)

    def live_cancel(self, job_id: int) -> None:
        self.jobs.pop(job_id, None)  # drops its frames

    def _decide(self, job_id: int, job: _LiveJob) -> None:
        """Send the check's result and drop everything it held."""
        assert self.matcher is not None
        del self.jobs[job_id]
        outcome = job.judge.state.outcome or live.TIMEOUT
        candidate, job.candidate = job.candidate, None
        performed, job.action = job.action, None
        if outcome == live.PASSED and candidate is not None and job.reference is not None:
            started = time.perf_counter() - candidate.observe_ms / 1000.0
            if performed is not None and performed[0] is not candidate.rgb:
                # The face compared must be the face that performed: otherwise a photo of the
                # citizen held up for a moment and someone else's live face for the challenge
                # would pass. Both frames are of one person, seconds apart, at one counter.
                apart = self.matcher.distance_between(
                    candidate.rgb, candidate.seen, performed[0], performed[1]
                )
                if apart > self.matcher.threshold:
                    outcome = FACE_CHANGED
            if outcome == live.PASSED:
                result = self.matcher.verify_observed(
                    job.reference, candidate.rgb, candidate.seen, started=started
                )
            else:
                result = FaceResult(
                    match=None,
                    distance=None,
                    threshold=self.matcher.threshold,
                    faces=candidate.seen.faces,
                    quality=candidate.seen.quality,
                    ms=(time.perf_counter() - started) * 1000.0,
                )
        else:
            seen = candidate.seen if candidate is not None else job.last
            result = FaceResult(
                match=None,
                distance=None,
                threshold=self.matcher.threshold,
                faces=seen.faces if seen else 0,
                quality=seen.quality if seen else "no_face",
                ms=candidate.observe_ms if candidate else 0.0,
                prompt=seen.prompt if seen else None,
            )
        del candidate, performed
        result = replace(result, liveness=outcome, challenge=job.challenge.action)
        log.debug(
            "live check %d: %s %s, quality %s",
            job_id,
            job.challenge.action,
            outcome,
            result.quality,
        )
        self.results.send(("result", job_id, result, job.encoded))


def _serve(
    requests: Connection,
    results: Connection,
    threshold: float,
    gates: QualityGates | None,
    reference_gates: QualityGates | None,
    cache_size: int,
) -> None:
    """Entry point of the child process: load the models once, then answer in order."""
    # Ctrl+C in a terminal reaches the whole process group; the desk decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Background work: when the cores are busy the desk's GUI thread goes first, so the
    # window stays responsive while a live check judges frames (it drops what it cannot take).
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)

    started = time.perf_counter()
    matcher: FaceMatcher | None = None
    missing = ""
    try:
        matcher = FaceMatcher(threshold, gates=gates, reference_gates=reference_gates)
        results.send(("ready", (time.perf_counter() - started) * 1000.0))
    except FaceModelsMissingError as exc:
        missing = str(exc)
        results.send(("unavailable", missing))

    server = _Server(results, matcher, cache_size)
    while True:
        try:
            message = requests.recv()
        except EOFError:
            break  # the desk's process is gone
        if message is None:
            break
        kind = message[0]
        if kind == "clear":
            server.references.clear()
            continue
        job_id = message[1]
        if matcher is None:
            if kind in ("verify", "live_start"):
                results.send(("models_missing", job_id, missing))
            continue
        try:
            if kind == "verify":
                server.verify(job_id, message[2], message[3])
            elif kind == "live_start":
                server.live_start(job_id, message[2], message[3], message[4])
            elif kind == "live_frame":
                server.live_frame(job_id, message[2], message[3])
            elif kind == "live_finish":
                server.live_finish(job_id)
            elif kind == "live_cancel":
                server.live_cancel(job_id)
        except Exception as exc:  # keep serving; the job's future carries the failure
            server.jobs.pop(job_id, None)
            results.send(("error", job_id, f"face work failed: {type(exc).__name__}"))
        del message  # a frame is not kept past its turn
    results.close()
