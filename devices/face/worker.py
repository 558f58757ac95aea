"""The face worker: face verification in a separate process, so dlib never blocks the GUI.

dlib's encoder holds the GIL for ~100 ms per face, which would freeze the GUI thread if it ran
in the desk's process. The worker is a child process started with the "spawn" method (fork is
unsafe with Qt and threads), started once and reused: it loads the models once and keeps the
reference encodings of the current session, keyed by a SHA-256 of the reference bytes. Images
cross the process boundary as encoded bytes through pipes; nothing touches disk.

Threads: ``submit()`` may be called from any thread and never blocks on face work. A result
thread in the desk's process reads the child's answers and completes the futures; it also
watches the child, so a crash fails the pending futures at once and the next ``submit()``
starts a new child.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import multiprocessing
import queue
import signal
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from devices.face.matcher import (
    DEFAULT_THRESHOLD,
    FaceError,
    FaceMatcher,
    FaceModelsMissingError,
    FaceResult,
    Reference,
)

log = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("spawn")

# How many reference encodings the child keeps; a desk serves one citizen at a time, a few
# extra cover going back to the previous citizen without re-encoding.
REFERENCE_CACHE_SIZE = 4


class FaceWorkerError(FaceError):
    """The face worker could not answer: it crashed, was stopped, or failed unexpectedly."""


@dataclass
class _Child:
    """One incarnation of the worker process and what belongs to it."""

    process: Any  # multiprocessing SpawnProcess
    outbox: queue.SimpleQueue  # jobs waiting for the sender thread
    requests: Connection  # write end of the pipe to the child
    results: Connection  # read end of the pipe from the child
    pending: dict[int, Future[FaceResult]] = field(default_factory=dict)
    closed: bool = False
    sender: threading.Thread | None = None
    reader: threading.Thread | None = None  # the only thread that waits for (reaps) the process


class FaceWorker:
    """Runs a :class:`FaceMatcher` in a child process and hands results back as futures.

    ``start()`` is optional (``submit()`` starts the child when needed) and returns at once;
    the models load in the child while the first jobs wait in its queue. Call ``stop()`` on
    exit; it lets queued jobs finish for up to ``timeout`` seconds.
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        reference_cache_size: int = REFERENCE_CACHE_SIZE,
    ) -> None:
        if not 0.0 < threshold <= 2.0:
            raise ValueError(f"face threshold must be in (0, 2], got {threshold}")
        self._threshold = float(threshold)
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

    def submit(self, reference: bytes, probe: bytes) -> Future[FaceResult]:
        """Verify ``probe`` against ``reference`` (both encoded image bytes) in the child.

        Returns at once, from any thread. The future holds a :class:`FaceResult`, or raises
        :class:`FaceModelsMissingError` when the child has no models, or
        :class:`FaceWorkerError` when the child died or the worker was stopped.
        """
        future: Future[FaceResult] = Future()
        future.set_running_or_notify_cancel()  # queued work cannot be called back
        with self._lock:
            if self._stopped:
                future.set_exception(FaceWorkerError("face worker stopped"))
                return future
            child = self._ensure_child()
            job_id = next(self._job_ids)
            child.pending[job_id] = future
            child.outbox.put(("verify", job_id, bytes(reference), bytes(probe)))
        return future

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

    def _ensure_child(self) -> _Child:
        """Return the running child, starting a new one if needed. Caller holds the lock."""
        if self._child is not None and not self._child.closed:
            return self._child

        requests_recv, requests_send = _CONTEXT.Pipe(duplex=False)
        results_recv, results_send = _CONTEXT.Pipe(duplex=False)
        process = _CONTEXT.Process(
            target=_serve,
            args=(requests_recv, results_send, self._threshold, self._cache_size),
            name="hall-counter-face",
            daemon=True,  # never outlive the desk, even if stop() is missed
        )
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
                ready = wait([child.results, child.process.sentinel])
                if child.results in ready:
                    self._handle(child, child.results.recv())
                    continue
                # The child ended: take what it sent before it went.
                while child.results.poll():
                    self._handle(child, child.results.recv())
                break
        except (EOFError, OSError):
            pass  # the child closed its end or died
        except Exception:
            # A bug here must not leave futures hanging: end this child; the next submit()
            # starts a fresh one.
            log.exception("face worker result thread failed; stopping the child")
            child.process.kill()
        finally:
            child.process.join()  # it has ended or is ending: it closed its pipe or died
            code = child.process.exitcode
            with self._lock:
                child.closed = True
                pending, child.pending = child.pending, {}
            child.outbox.put(None)  # lets the sender thread end if it is idle
            child.results.close()
            if pending:
                log.error("face worker ended (exit code %s), %d job(s) failed", code, len(pending))
            elif code not in (0, None):
                log.warning("face worker ended with exit code %s", code)
            for future in pending.values():
                future.set_exception(FaceWorkerError(f"face worker ended (exit code {code})"))

    def _handle(self, child: _Child, message: tuple) -> None:
        kind = message[0]
        if kind == "ready":
            log.info("face worker ready: models loaded in %.0f ms", message[1])
            return
        if kind == "unavailable":
            log.error("face worker: %s", message[1])
            return
        job_id = message[1]
        with self._lock:
            future = child.pending.pop(job_id, None)
            if kind == "result" and message[3]:
                self._references_encoded += 1
        if future is None:
            return
        if kind == "result":
            future.set_result(message[2])
        elif kind == "models_missing":
            future.set_exception(FaceModelsMissingError(message[2]))
        else:
            future.set_exception(FaceWorkerError(message[2]))


def _send_requests(child: _Child) -> None:
    """Sender thread: move jobs from the outbox into the child's pipe.

    The pipe holds only 64 KiB, so writing a photo blocks until the child reads it, which it
    does only between jobs; this thread takes that wait so that ``submit()`` never blocks.
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


def _serve(requests: Connection, results: Connection, threshold: float, cache_size: int) -> None:
    """Entry point of the child process: load the models once, then answer jobs in order."""
    # Ctrl+C in a terminal reaches the whole process group; the desk decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    started = time.perf_counter()
    matcher: FaceMatcher | None = None
    missing = ""
    try:
        matcher = FaceMatcher(threshold)
        results.send(("ready", (time.perf_counter() - started) * 1000.0))
    except FaceModelsMissingError as exc:
        missing = str(exc)
        results.send(("unavailable", missing))

    references: OrderedDict[bytes, Reference] = OrderedDict()
    while True:
        try:
            message = requests.recv()
        except EOFError:
            break  # the desk's process is gone
        if message is None:
            break
        if message[0] == "clear":
            references.clear()
            continue

        _, job_id, reference_bytes, probe_bytes = message
        if matcher is None:
            results.send(("models_missing", job_id, missing))
            continue
        try:
            key = hashlib.sha256(reference_bytes).digest()
            reference = references.get(key)
            encoded = reference is None
            if reference is None:
                reference = matcher.encode_reference(reference_bytes)
                references[key] = reference
                while len(references) > cache_size:
                    references.popitem(last=False)
            else:
                references.move_to_end(key)
            result = matcher.verify(reference, probe_bytes)
            results.send(("result", job_id, result, encoded))
        except Exception as exc:  # keep serving; the job's future carries the failure
            results.send(("error", job_id, f"face verification failed: {type(exc).__name__}"))
    results.close()
