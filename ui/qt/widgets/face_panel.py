"""The face check: consent first, then the picture and the comparison with the card photo.

The citizen is told what the check is for and may decline; declining shows the alternative
(the clerk checks the resident ID card and a supervisor co-signs). The picture comes from the
camera, or in training mode from the citizen's sample photo. Images live only in this widget's
memory and leave it in ``clear()``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.qt import messages

IMAGE_SIZE = 200


class FacePanelWidget(QGroupBox):
    """Consent, picture, and the result of comparing it with the card photo."""

    consent_given = Signal()
    consent_declined = Signal()
    check_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("facePanel")
        self._state = "idle"  # idle, consent, ready, checking, result, declined
        self._result = None
        self._error = ""
        self._has_image = False
        self._source_is_sample = False

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
        self._image.setFixedSize(IMAGE_SIZE, IMAGE_SIZE)
        self._image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._image.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addWidget(self._image, 0, Qt.AlignmentFlag.AlignHCenter)
        self._image_caption = QLabel(self)
        self._image_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self._image_caption)

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
        self._state = "consent"
        self._result = None
        self._error = ""
        self._apply_state()

    def show_image(self, image: bytes | None, *, sample: bool = False) -> None:
        """Show the picture that will be compared (None: no picture available)."""
        pixmap = QPixmap()
        if image and pixmap.loadFromData(image):
            scaled = pixmap.scaled(
                IMAGE_SIZE,
                IMAGE_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._image.setPixmap(scaled)
            self._has_image = True
        else:
            self._image.clear()
            self._has_image = False
        self._source_is_sample = sample
        self._state = "ready"
        self._apply_state()

    def show_checking(self) -> None:
        """The comparison is running in the face worker."""
        self._state = "checking"
        self._apply_state()

    def show_result(self, result) -> None:
        """Show a FaceResult: match or not, and the distance against the threshold."""
        self._result = result
        self._error = ""
        self._state = "result"
        self._apply_state()

    def show_error(self, text: str) -> None:
        """The check could not run; the clerk may retry or use the alternative."""
        self._error = text
        self._result = None
        if self._state == "checking":
            self._state = "ready"
        self._apply_state()

    def show_declined(self) -> None:
        """The citizen declined; show the alternative path."""
        self._state = "declined"
        self._apply_state()

    def clear(self) -> None:
        """Forget the picture and the result."""
        self._image.clear()
        self._has_image = False
        self._result = None
        self._error = ""
        self._state = "idle"
        self._apply_state()

    @property
    def state(self) -> str:
        """idle, consent, ready, checking, result or declined."""
        return self._state

    @property
    def has_image(self) -> bool:
        """True while a picture is shown."""
        return self._has_image

    # Text -----------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._apply_state()
        super().changeEvent(event)

    def _apply_state(self) -> None:
        self.setTitle(self.tr("Face check"))
        self._agree.setText(self.tr("Citizen agrees"))
        self._decline.setText(self.tr("Citizen declines"))
        self._check.setText(self.tr("Compare with card photo"))

        if self._state == "idle":
            explain = self.tr("The face check starts once the card has been read.")
        elif self._state == "declined":
            explain = self.tr(
                "The citizen declined the face check. Alternative: check the citizen's resident "
                "ID card in person; a supervisor must co-sign the case."
            )
        else:
            explain = self.tr(
                "Tell the citizen: the face check compares you with your card photo. "
                "The picture is not stored. You may decline."
            )
        self._explain.setText(explain)

        self._agree.setVisible(self._state == "consent")
        self._decline.setVisible(self._state in ("consent", "ready", "result"))
        self._agree.setEnabled(self._state == "consent")
        self._decline.setEnabled(self._state in ("consent", "ready", "result"))
        showing_image = self._state in ("ready", "checking", "result")
        self._image.setVisible(showing_image)
        self._image_caption.setVisible(showing_image)
        if not self._has_image:
            self._image.setText(self.tr("No picture"))
            caption = self.tr("No camera picture is available.")
        elif self._source_is_sample:
            caption = self.tr("Training sample photo")
        else:
            caption = self.tr("Camera picture")
        self._image_caption.setText(caption)
        self._check.setVisible(showing_image)
        self._check.setEnabled(self._state in ("ready", "result") and self._has_image)

        self._result_label.setText(self._result_text())
        self._result_label.setVisible(bool(self._result_label.text()))

    def _result_text(self) -> str:
        if self._state == "checking":
            return self.tr("Comparing…")
        if self._error:
            return self._error
        result = self._result
        if self._state != "result" or result is None:
            return ""
        if result.match is None:
            verdict = self.tr("Could not be judged.")
        elif result.match:
            verdict = self.tr("MATCH: the citizen matches the card photo.")
        else:
            verdict = self.tr(
                "NO MATCH: the citizen does not match the card photo. Check again or use the "
                "alternative."
            )
        lines = [verdict]
        if result.distance is not None:
            lines.append(
                self.tr("Distance {distance} (threshold {threshold}; a match is below it)").format(
                    distance=f"{result.distance:.3f}", threshold=f"{result.threshold:.3f}"
                )
            )
        if result.quality and result.quality != "ok":
            lines.append(messages.face_quality_text(result.quality))
        return "\n".join(lines)
