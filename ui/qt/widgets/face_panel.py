"""The face check: consent first, then the live preview with the prompts, then the decision.

The citizen is told what the check is for and may decline; declining, and every way the check
can fail, shows the alternative (the clerk checks the resident ID card and a supervisor
co-signs). While the check runs the panel shows the camera's picture (mirrored, with the face's
box) and what to ask of the citizen: the challenge (blink, turn left, turn right) and the
picture's problems (come closer, look at the camera, light, hold still). The frames arrive
already converted (ui.qt.camera.FaceCheckRelay); the last one is dropped when the check is
decided, and ``clear()`` forgets everything.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.qt.camera import PREVIEW_HEIGHT, PREVIEW_WIDTH

BOX_COLOUR = QColor(46, 204, 113)


class FacePanelWidget(QGroupBox):
    """Consent, live preview and prompts, and the decision of the live face check."""

    consent_given = Signal()
    consent_declined = Signal()
    check_requested = Signal()  # try again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("facePanel")
        # idle, consent, preparing, live, result, declined
        self._state = "idle"
        self._status = ""
        self._outcome = None
        self._error = ""
        self._prompt: str | None = None
        self._box = None  # (top, right, bottom, left) in camera pixels, None when no face
        self._frame: QImage | None = None
        self._frame_size = (0, 0)
        self._frames_shown = 0
        self._boxes_drawn = 0
        self._sample = False

        layout = QVBoxLayout(self)
        self._explain = QLabel(self)
        self._explain.setObjectName("faceConsentText")
        self._explain.setWordWrap(True)
        layout.addWidget(self._explain)

        buttons = QHBoxLayout()
        self._agree = QPushButton(self)
        self._agree.setObjectName("faceAgreeButton")
        self._agree.clicked.connect(self.consent_given)
        self._decline = QPushButton(self)
        self._decline.setObjectName("faceDeclineButton")
        self._decline.clicked.connect(self.consent_declined)
        buttons.addWidget(self._agree)
        buttons.addWidget(self._decline)
        layout.addLayout(buttons)

        self._image = QLabel(self)
        self._image.setObjectName("faceImage")
        self._image.setFixedSize(PREVIEW_WIDTH, PREVIEW_HEIGHT)
        self._image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._image.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addWidget(self._image, 0, Qt.AlignmentFlag.AlignHCenter)

        self._prompt_label = QLabel(self)
        self._prompt_label.setObjectName("facePrompt")
        self._prompt_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._prompt_label.setWordWrap(True)
        font = self._prompt_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._prompt_label.setFont(font)
        layout.addWidget(self._prompt_label)

        self._check = QPushButton(self)
        self._check.setObjectName("faceCheckButton")
        self._check.clicked.connect(self.check_requested)
        layout.addWidget(self._check)

        self._result_label = QLabel(self)
        self._result_label.setObjectName("faceResult")
        self._result_label.setWordWrap(True)
        layout.addWidget(self._result_label)
        layout.addStretch(1)
        self._apply_state()

    # States ---------------------------------------------------------------------------------

    def show_consent(self) -> None:
        """Explain the check and ask the citizen to agree or decline."""
        self._reset_check()
        self._state = "consent"
        self._apply_state()

    def show_preparing(self, *, sample: bool = False) -> None:
        """The check is starting (reference photo, camera); ``sample``: training's still photo."""
        self._reset_check()
        self._sample = sample
        self._state = "preparing"
        self._status = "preparing"
        self._apply_state()

    @Slot(str)
    def show_status(self, status: str) -> None:
        """``preparing``, ``camera_waiting`` or ``live`` (from the check)."""
        if self._state not in ("preparing", "live"):
            return
        self._status = status
        if status == "live":
            self._state = "live"
        self._apply_state()

    @Slot(QImage, int, int)
    def show_frame(self, image: QImage, width: int, height: int) -> None:
        """A preview frame (mirrored, scaled) of a camera frame ``width`` x ``height``."""
        if self._state not in ("preparing", "live"):
            return
        if self._state == "preparing":
            self._state = "live"
            self._status = "live"
            self._apply_state()
        self._frame = image
        self._frame_size = (width, height)
        self._frames_shown += 1
        self._paint_preview()

    @Slot(object)
    def show_progress(self, progress) -> None:
        """A judged frame: the prompt and the face's box."""
        if self._state not in ("preparing", "live"):
            return
        self._box = progress.box
        prompt = progress.prompt
        if prompt is None and progress.status == "passed":
            prompt = "hold_still"
        if prompt != self._prompt:
            self._prompt = prompt
            self._prompt_label.setText(self._prompt_text(prompt))
        self._paint_preview()

    def show_outcome(self, outcome) -> None:
        """The decision (a FaceOutcome); the preview's last frame is dropped."""
        self._drop_frame()
        self._outcome = outcome
        self._error = ""
        self._state = "result"
        self._apply_state()

    def show_error(self, text: str) -> None:
        """The check could not run; the clerk may retry or use the alternative."""
        self._drop_frame()
        self._error = text
        self._outcome = None
        if self._state in ("preparing", "live"):
            self._state = "result"
        self._apply_state()

    def show_declined(self) -> None:
        """The citizen declined; show the alternative path."""
        self._drop_frame()
        self._state = "declined"
        self._apply_state()

    def clear(self) -> None:
        """Forget the picture, the prompt and the result."""
        self._reset_check()
        self._state = "idle"
        self._apply_state()

    # Read-outs ------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """idle, consent, preparing, live, result or declined."""
        return self._state

    @property
    def has_image(self) -> bool:
        """True while a camera picture is shown."""
        return self._frame is not None

    @property
    def frames_shown(self) -> int:
        """Preview frames shown since the check started."""
        return self._frames_shown

    @property
    def boxes_drawn(self) -> int:
        """Preview frames drawn with a face box since the check started."""
        return self._boxes_drawn

    @property
    def prompt(self) -> str | None:
        """The prompt code shown to the citizen now (``blink``, ``move_closer``, ...)."""
        return self._prompt

    @property
    def outcome(self):
        """The FaceOutcome shown, None before the decision."""
        return self._outcome

    # Internals ------------------------------------------------------------------------------

    def _reset_check(self) -> None:
        self._drop_frame()
        self._outcome = None
        self._error = ""
        self._status = ""
        self._prompt = None
        self._box = None
        self._frames_shown = 0
        self._boxes_drawn = 0
        self._sample = False
        self._prompt_label.clear()

    def _drop_frame(self) -> None:
        self._frame = None
        self._box = None
        self._image.clear()

    def _paint_preview(self) -> None:
        frame = self._frame
        if frame is None:
            return
        pixmap = QPixmap.fromImage(frame)
        box = self._box
        width, height = self._frame_size
        if box is not None and width > 0 and height > 0:
            top, right, bottom, left = box
            scale_x, scale_y = frame.width() / width, frame.height() / height
            # The preview is mirrored: the box is too.
            rect = QRectF(
                (width - right) * scale_x,
                top * scale_y,
                (right - left) * scale_x,
                (bottom - top) * scale_y,
            )
            painter = QPainter(pixmap)
            painter.setPen(QPen(BOX_COLOUR, 3))
            painter.drawRect(rect)
            painter.end()
            self._boxes_drawn += 1
        self._image.setPixmap(pixmap)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._apply_state()
            self._prompt_label.setText(self._prompt_text(self._prompt))
        super().changeEvent(event)

    def _apply_state(self) -> None:
        self.setTitle(self.tr("Face check"))
        self._agree.setText(self.tr("Citizen agrees"))
        self._decline.setText(self.tr("Citizen declines"))
        self._check.setText(self.tr("Try the face check again"))

        state = self._state
        if state == "idle":
            explain = self.tr("The face check starts once the card has been read.")
        elif state == "declined":
            explain = self.tr(
                "The citizen declined the face check. Alternative: check the citizen's resident "
                "ID card in person; a supervisor must co-sign the case."
            )
        elif state == "consent":
            explain = self.tr(
                "Tell the citizen: the face check confirms that you are the person on the card, "
                "by comparing your face with your photo on record. The camera picture is not "
                "stored. You may decline; then the ID card is checked instead."
            )
        elif state in ("preparing", "live"):
            explain = self._running_text()
        else:
            explain = ""
        self._explain.setText(explain)
        self._explain.setVisible(bool(explain))

        self._agree.setVisible(state == "consent")
        self._decline.setVisible(state in ("consent", "preparing", "live", "result"))
        self._decline.setEnabled(state in ("consent", "preparing", "live", "result"))
        if state == "consent":
            self._decline.setText(self.tr("Citizen declines"))
        else:
            self._decline.setText(self.tr("Use the alternative check"))
        self._image.setVisible(state in ("preparing", "live"))
        if state in ("preparing", "live") and self._frame is None:
            self._image.setText(self.tr("Waiting for the camera…"))
        self._prompt_label.setVisible(state == "live")
        self._check.setVisible(state == "result")
        self._check.setEnabled(state == "result")

        self._result_label.setText(self._result_text())
        self._result_label.setVisible(bool(self._result_label.text()))

    def _running_text(self) -> str:
        if self._status == "preparing":
            return self.tr("Getting the photo on record…")
        if self._status == "camera_waiting":
            return self.tr("Opening the camera…")
        if self._sample:
            return self.tr(
                "Training: the sample photo stands in for the camera. The live check (blink or "
                "turn the head) is not done in training."
            )
        return self.tr("Ask the citizen to look at the camera and follow the instruction.")

    def _prompt_text(self, prompt: str | None) -> str:
        texts = {
            "blink": self.tr("Please blink your eyes."),
            "turn_left": self.tr("Please turn your head slowly to your left."),
            "turn_right": self.tr("Please turn your head slowly to your right."),
            "move_closer": self.tr("Please come a little closer."),
            "face_camera": self.tr("Please look straight at the camera."),
            "more_light": self.tr("More light is needed on the face."),
            "less_light": self.tr("Too much light on the face."),
            "hold_still": self.tr("Please hold still."),
        }
        return texts.get(prompt or "", "")

    def _reason_text(self, reason: str | None) -> str:
        texts = {
            "no_reference": self.tr("There is no photo on record for this citizen."),
            "reference_unreadable": self.tr("The photo on record cannot be read."),
            "reference_no_face": self.tr("The photo on record is not good enough to compare."),
            "reference_poor": self.tr("The photo on record is not good enough to compare."),
            "central_unavailable": self.tr(
                "The central system cannot be reached, so the photo on record is not available."
            ),
            "central_error": self.tr("The central system could not send the photo on record."),
            "no_camera": self.tr("No camera is working. Check that it is plugged in."),
            "camera_lost": self.tr("The camera stopped (unplugged?)."),
            "face_models_missing": self.tr(
                "The face check software is not installed completely. Call IT support."
            ),
            "face_unavailable": self.tr("The face check is not available now."),
            "liveness_failed": self.tr(
                "The live check failed: the face did not do what was asked."
            ),
            "liveness_timeout": self.tr("The live check ran out of time."),
            "not_judged": self.tr("No camera picture was good enough to compare."),
        }
        return texts.get(reason or "", self.tr("The face check could not decide."))

    def _liveness_text(self, outcome) -> str:
        liveness = outcome.liveness
        if liveness is None:
            return ""
        if liveness == "not_checked":
            return self.tr("Live check: not checked (training sample photo).")
        action, _, result = liveness.partition(":")
        actions = {
            "blink": self.tr("blink"),
            "turn_left": self.tr("turn left"),
            "turn_right": self.tr("turn right"),
        }
        if result == "passed":
            return self.tr("Live check: passed ({action}).").format(
                action=actions.get(action, action)
            )
        return self.tr("Live check: not passed ({action}).").format(
            action=actions.get(action, action)
        )

    def _result_text(self) -> str:
        if self._error:
            return self._error
        outcome = self._outcome
        if self._state != "result" or outcome is None:
            return ""
        alternative = self.tr(
            "Alternative: check the citizen's resident ID card in person; a supervisor must "
            "co-sign the case."
        )
        if outcome.decision == "match":
            lines = [self.tr("MATCH: the citizen matches the photo on record.")]
        elif outcome.decision == "no_match":
            lines = [
                self.tr("NO MATCH: the citizen does not match the photo on record."),
                alternative,
            ]
        else:
            lines = [self._reason_text(outcome.reason)]
            if outcome.reason == "not_judged" and outcome.prompt:
                lines.append(self._prompt_text(outcome.prompt))
            lines.append(alternative)
        if outcome.distance is not None and outcome.threshold is not None:
            lines.append(
                self.tr("Distance {distance} (threshold {threshold}; a match is below it)").format(
                    distance=f"{outcome.distance:.3f}", threshold=f"{outcome.threshold:.3f}"
                )
            )
        live = self._liveness_text(outcome)
        if live:
            lines.append(live)
        return "\n".join(lines)
