"""The live face check at the desk: camera frames into the face worker, a decision out.

:meth:`desktop.desk.Desk.start_face_check` makes a :class:`LiveFaceCheck` for the citizen being
served, after the citizen's consent (:meth:`Desk.consent_face`). On the desk's thread it fetches
the reference photo from central (once per citizen session; the face worker encodes it once and
keeps the encoding until the session ends), opens the camera and starts a live check in the face
worker with a random challenge (blink, turn left, turn right). Frames go from the camera thread
straight to the worker; the listener hears about every frame (for a preview), every judged frame
(prompt, face box, quality) and how the camera stands.

The check ends with a :class:`FaceOutcome`: ``decision`` ``match`` / ``no_match``, or
``unavailable`` with a ``reason`` code when the check could not decide. Every ``unavailable``
and ``no_match`` leads to the service's alternative: the clerk checks the resident ID card and
a supervisor co-signs (approval rules ``face_declined`` and ``face_override``).

Reasons: ``no_reference`` (central has no photo), ``reference_unreadable``,
``reference_no_face``, ``reference_poor``, ``central_unavailable``, ``no_camera``,
``camera_lost``, ``face_models_missing``, ``face_unavailable`` (no face worker, or it failed),
``liveness_failed``, ``liveness_timeout``, ``not_judged`` (the challenge passed but no frame was
good enough to compare; ``prompt`` says why) and ``cancelled``.

Privacy: frames live only in the camera (the latest one), in flight to the worker and in the
listener's hands; the camera is stopped and every reference to a frame dropped once the check is
decided. The session records only the decision, the distance, the threshold and the liveness
result (``desktop.contract.FaceCheck``); logs carry codes and timings only.

Training desks without a camera play the seed's sample photo of the citizen as a still camera;
a still picture cannot perform a challenge, so there the check compares one frame and records
the liveness as ``not_checked`` (``liveness=False``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

from desktop.central import CentralError, CentralRejectedError, CentralUnavailableError
from desktop.contract import FaceCheck
from desktop.errors import DeskError

log = logging.getLogger(__name__)

# How long a decision waits for the desk thread to finish starting the camera before it
# stops it (starting takes milliseconds; the bound only keeps a stuck start from pinning it).
CAMERA_LAUNCH_WAIT_S = 10.0
# How long the camera may take to deliver its first frame before the check gives up.
CAMERA_WAIT_S = 6.0
# The liveness challenge's time limit (frame time, from the first frame judged).
CHALLENGE_TIME_S = 8.0
# How long a still (training) check waits for the comparison.
STILL_TIMEOUT_S = 120.0

LIVENESS_NOT_CHECKED = "not_checked"

REFERENCE_REASONS = frozenset({"reference_unreadable", "reference_no_face", "reference_poor"})


@dataclass(frozen=True)
class FaceOutcome:
    """How a face check ended (no picture, no encoding).

    ``decision``: ``match``, ``no_match`` or ``unavailable``. ``reason``: why it is
    ``unavailable`` (module docstring), else None. ``liveness``: what the case records
    (``"blink:passed"``, ``"turn_left:timeout"``, ``"not_checked"``), None when the check
    never got that far. ``prompt``: for ``not_judged``, what was wrong with the picture.
    """

    decision: str
    distance: float | None = None
    threshold: float | None = None
    liveness: str | None = None
    challenge: str | None = None
    quality: str | None = None
    prompt: str | None = None
    reason: str | None = None

    @property
    def fallback(self) -> bool:
        """True when the service's alternative applies (ID card and a supervisor's co-sign)."""
        return self.decision != "match"

    def face_check(self) -> FaceCheck:
        """What the case records."""
        return FaceCheck(
            decision=self.decision,  # type: ignore[arg-type]
            distance=self.distance,
            threshold=self.threshold,
            liveness=self.liveness,
        )


class FaceCheckListener(Protocol):
    """Told about a live face check; every method is called on a worker thread (be quick).

    All optional. ``on_face_status(check, status)``: ``preparing`` (reference, camera),
    ``camera_waiting`` (the camera is opening or retrying), ``live`` (frames are coming).
    ``on_face_frame(check, frame)``: a camera frame (``devices.camera.Frame``) for a preview,
    on the camera thread; do not keep it past the decision. ``on_face_progress(check,
    progress)``: a judged frame (``devices.face.live.LiveProgress``: status, prompt, box).
    ``on_face_done(check, outcome)``: the :class:`FaceOutcome`, just before ``result`` resolves.
    """


class LiveFaceCheck:
    """One face check for one citizen (see the module docstring).

    ``result`` is a ``Future[FaceOutcome]``; it raises DeskError only for what is not a face
    matter (``session_ended``, ``not_signed_in``, ``session_expired``, ``forbidden``,
    ``face_consent_required``, ``desk_stopped``). ``cancel()`` abandons the check (``reason``
    ``cancelled``, nothing recorded). ``challenge`` is the action asked (None in a still check).
    """

    def __init__(
        self,
        desk: Any,
        session: Any,
        *,
        camera_factory: Callable[[Any], Any] | None,
        listener: Any | None = None,
        challenge: str | None = None,
        liveness: bool = True,
        time_limit_s: float = CHALLENGE_TIME_S,
        camera_wait_s: float = CAMERA_WAIT_S,
    ) -> None:
        from devices.face.liveness import LivenessChallenge

        self.result: Future[FaceOutcome] = Future()
        self.result.set_running_or_notify_cancel()
        self.liveness = liveness
        self._challenge = (
            (LivenessChallenge(challenge) if challenge else LivenessChallenge.random())  # type: ignore[arg-type]
            if liveness
            else None
        )
        self._desk = desk
        self._session = session
        self._camera_factory = camera_factory
        self._listener = listener
        self._time_limit_s = time_limit_s
        self._camera_wait_s = camera_wait_s
        self._lock = threading.Lock()
        self._camera: Any | None = None
        self._live: Any | None = None  # devices.face.live.LiveCheck
        self._still: Future | None = None
        self._timer: threading.Timer | None = None
        self._frames = 0
        self._ending = False
        self._stopper: threading.Thread | None = None
        # Set once the desk thread is done starting the camera: a decision on another thread
        # (a worker answer, a cancel) waits for it before stopping, or the camera would start
        # after its stop and run on.
        self._camera_launched = threading.Event()
        self._status = ""

    @property
    def challenge(self) -> str | None:
        """``blink``, ``turn_left`` or ``turn_right``; None for a still check."""
        return self._challenge.action if self._challenge is not None else None

    @property
    def frames_seen(self) -> int:
        """Camera frames this check received."""
        with self._lock:
            return self._frames

    def cancel(self, *, wait: bool = False) -> None:
        """Abandon the check; ``result`` resolves with ``reason`` ``cancelled``.

        Returns at once (the camera stops on a thread of its own) unless ``wait``.
        """
        self._end(FaceOutcome(decision="unavailable", reason="cancelled"), record=False)
        if wait:
            self.join()

    def join(self, timeout: float = 10.0) -> None:
        """Wait until the camera of a decided check has stopped."""
        with self._lock:
            stopper = self._stopper
        if stopper is not None and stopper is not threading.current_thread():
            stopper.join(timeout)

    # -- the desk thread ---------------------------------------------------------------------

    def _begin(self) -> None:
        """Desk thread: reference, camera, worker. Errors end the check with a reason."""
        desk, session = self._desk, self._session
        try:
            desk._allowed("serve_citizen")
            desk._require_citizen(session)
            if not session.face_consent:
                raise DeskError("face_consent_required", "the citizen has not agreed yet")
        except BaseException as exc:
            self._fail(exc)
            return
        self._set_status("preparing")
        try:
            reason = self._prepare()
        except DeskError as exc:
            self._fail(exc)
            return
        if reason is not None:
            self._end(self._unavailable(reason), record=True)
            return
        if self._camera_factory is None:
            self._end(self._unavailable("no_camera"), record=True)
            return
        try:
            camera = self._camera_factory(session)
        except Exception as exc:
            log.warning("face check: camera could not be set up (%s)", type(exc).__name__)
            camera = None
        if camera is None:
            self._end(self._unavailable("no_camera"), record=True)
            return

        worker = desk.face_worker
        with self._lock:
            if self._ending:
                return
            self._camera = camera
            if self._challenge is not None:
                try:
                    self._live = worker.start_live_check(
                        session._reference,
                        self._challenge,
                        time_limit_s=self._time_limit_s,
                        listener=self,
                    )
                except Exception as exc:
                    self._camera = None
                    log.warning("face check: worker refused (%s)", type(exc).__name__)
                    live_error: str | None = "face_unavailable"
                else:
                    live_error = None
            else:
                live_error = None
            timer = self._timer = threading.Timer(self._camera_wait_s, self._camera_timeout)
            timer.name = "face-camera-wait"
            timer.daemon = True
        if live_error is not None:
            self._end(self._unavailable(live_error), record=True)
            return
        if self._live is not None:
            self._live.result.add_done_callback(self._on_live_result)
        try:
            with self._lock:
                decided = self._ending
            if decided:
                return  # decided meanwhile: the camera is not started at all
            self._set_status("camera_waiting")
            camera.add_listener(self)
            timer.start()
            camera.start()
        finally:
            self._camera_launched.set()
        log.info("face check started (%s)", self.challenge or "still")

    def _prepare(self) -> str | None:
        """The reference photo, fetched once per citizen; a reason code when unavailable."""
        desk, session = self._desk, self._session
        if desk.face_worker is None:
            return "face_unavailable"
        if session._reference is not None:
            return None
        if session.person_ref is None:
            return "central_unavailable"  # identity checked offline: no reference photo
        try:
            reference = desk._central(
                lambda token: desk.client.face_reference(token, session.person_ref)
            )
        except CentralUnavailableError:
            return "central_unavailable"
        except CentralRejectedError as exc:
            return "no_reference" if exc.status in (404, 410) else "central_error"
        except CentralError as exc:
            # bad_response: the body is neither a JPEG nor a PNG, or empty, or too large.
            return "reference_unreadable" if exc.code == "bad_response" else "central_error"
        desk._require_citizen(session)
        session._reference = reference
        return None

    # -- the camera thread -------------------------------------------------------------------

    def on_frame_ready(self, frame: Any) -> None:
        """Camera listener: to the worker, then to the preview."""
        with self._lock:
            if self._ending:
                return
            self._frames += 1
            first = self._frames == 1
            live, still = self._live, self._still
            if first and live is None and still is None:
                worker = self._desk.face_worker
                self._still = worker.submit(self._session._reference, frame.image)
                self._still.add_done_callback(self._on_still_result)
        if first:
            self._set_status("live")
        if live is not None:
            live.on_frame_ready(frame)
        self._tell("on_face_frame", frame)

    def on_camera_state(self, state: str, detail: str) -> None:
        """Camera listener: an unplugged camera ends the check; a missing one may still come."""
        from devices.camera import LIVE, LOST, NO_CAMERA

        if state == LOST:
            self._end(self._unavailable("camera_lost"), record=True)
        elif state == NO_CAMERA:
            with self._lock:
                seen = self._frames
            if seen:
                self._end(self._unavailable("camera_lost"), record=True)
            else:
                self._set_status("camera_waiting")
        elif state == LIVE:
            self._set_status("live")

    def _camera_timeout(self) -> None:
        with self._lock:
            seen = self._frames
        if not seen:
            self._end(self._unavailable("no_camera"), record=True)

    # -- the worker's result thread ----------------------------------------------------------

    def on_live_progress(self, check: Any, progress: Any) -> None:
        """LiveCheck listener: pass the prompt and the face box on."""
        self._tell("on_face_progress", progress)

    def _on_live_result(self, future: Future) -> None:
        self._end(self._from_future(future, live=True), record=True)

    def _on_still_result(self, future: Future) -> None:
        self._end(self._from_future(future, live=False), record=True)

    def _from_future(self, future: Future, *, live: bool) -> FaceOutcome:
        from devices.face.matcher import FaceModelsMissingError

        try:
            result = future.result()
        except FaceModelsMissingError:
            return self._unavailable("face_models_missing")
        except Exception as exc:
            log.warning("face check failed in the worker (%s)", type(exc).__name__)
            return self._unavailable("face_unavailable")
        return outcome_of(result, live=live)

    # -- the end -----------------------------------------------------------------------------

    def _unavailable(self, reason: str) -> FaceOutcome:
        worker = self._desk.face_worker
        threshold = float(worker.threshold) if worker is not None else None
        liveness = None if self.liveness else LIVENESS_NOT_CHECKED
        return FaceOutcome(
            decision="unavailable",
            threshold=threshold,
            liveness=liveness,
            challenge=self.challenge,
            reason=reason,
        )

    def _fail(self, error: BaseException) -> None:
        with self._lock:
            if self._ending:
                return
            self._ending = True
        if not self.result.done():
            self.result.set_exception(error)
        self._desk._face_check_ended(self)

    def _end(self, outcome: FaceOutcome, *, record: bool) -> None:
        """Decide once: stop the camera, drop the frames, record, resolve."""
        with self._lock:
            if self._ending:
                return
            self._ending = True
            camera, self._camera = self._camera, None
            live, self._live = self._live, None
            timer, self._timer = self._timer, None
            self._still = None
        if timer is not None:
            timer.cancel()
        if live is not None and not live.done:
            live.cancel()
        if camera is not None:
            camera.remove_listener(self)
            # Stopping joins the camera thread, which may be the caller (an unplugged camera)
            # or be stuck in a device read for up to 2 s: never on the caller's thread, which
            # may be the GUI's (the clerk declined, the citizen left).
            stopper = threading.Thread(
                target=self._stop_camera, args=(camera,), name="face-camera-stop", daemon=True
            )
            with self._lock:
                self._stopper = stopper
            stopper.start()
        if record and outcome.reason != "cancelled":
            self._record(outcome)
        log.info(
            "face check: %s%s, liveness %s",
            outcome.decision,
            f" ({outcome.reason})" if outcome.reason else "",
            outcome.liveness,
        )
        self._tell("on_face_done", outcome)
        if not self.result.done():
            self.result.set_result(outcome)
        self._desk._face_check_ended(self)

    def _stop_camera(self, camera: Any) -> None:
        # The desk thread may still be starting this camera: stop it after that, not before.
        self._camera_launched.wait(CAMERA_LAUNCH_WAIT_S)
        camera.stop()

    def _record(self, outcome: FaceOutcome) -> None:
        session = self._session
        if session.ended:
            return
        session.face = outcome.face_check()
        try:
            self._desk.guard.record(
                "face_decision",
                person_ref=session.person_ref,
                decision=outcome.decision,
                distance=outcome.distance,
                threshold=outcome.threshold,
                liveness=outcome.liveness,
                reason=outcome.reason,
            )
        except Exception:
            log.exception("face check: the audit record failed")

    def _set_status(self, status: str) -> None:
        with self._lock:
            if status == self._status or self._ending:
                return
            self._status = status
        self._tell("on_face_status", status)

    def _tell(self, method: str, *args: Any) -> None:
        handler = getattr(self._listener, method, None)
        if handler is None:
            return
        try:
            handler(self, *args)
        except Exception:
            log.exception("face check listener %s failed", method)


def outcome_of(result: Any, *, live: bool) -> FaceOutcome:
    """The FaceOutcome of a worker's FaceResult (a live check's, or a still comparison's)."""
    threshold = float(result.threshold)
    if live:
        liveness = f"{result.challenge}:{result.liveness}" if result.challenge else None
    else:
        liveness = LIVENESS_NOT_CHECKED
    common = {
        "threshold": threshold,
        "liveness": liveness,
        "challenge": result.challenge,
        "quality": result.quality,
    }
    if result.quality in REFERENCE_REASONS:
        return FaceOutcome(decision="unavailable", reason=result.quality, **common)
    if live and result.liveness != "passed":
        if result.liveness == "cancelled":
            reason = "cancelled"
        elif result.liveness == "timeout":
            reason = "liveness_timeout"
        else:
            reason = "liveness_failed"
        return FaceOutcome(decision="unavailable", reason=reason, prompt=result.prompt, **common)
    if result.match is None:
        return FaceOutcome(
            decision="unavailable", reason="not_judged", prompt=result.prompt, **common
        )
    return FaceOutcome(
        decision="match" if result.match else "no_match",
        distance=round(float(result.distance), 4),
        **common,
    )
