"""Voice prompts: QtTextToSpeech where an engine exists, written prompts alone where none does.

:class:`VoicePrompter` is the kiosk's speech layer. It is handed a prompt code and a sentence
(``ui.qt.kiosk.prompts``: no digits, no personal data) and speaks it with the first working
text-to-speech engine of the system (speech-dispatcher on Linux, SAPI/WinRT on Windows), in the
interface language when the engine has a voice for it. A new prompt interrupts the previous one,
so the voice never lags behind the screen.

Without an engine (QtTextToSpeech missing, or no engine loads) the kiosk still works: every
spoken sentence is also on screen, and reminders that matter when nobody reads them (take your
card) ring the system bell instead. ``history()`` keeps the last prompts handed over, for the
diagnostics and the tests; it never holds more than the sentences themselves.

Qt's "mock" engine (silent, but a real engine that goes through the speaking states) is used
only when asked for by name; it is what the tests use.
"""

from __future__ import annotations

import logging
from collections import deque

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

HISTORY_SIZE = 64
# Engines that do not speak aloud; never chosen on their own.
SILENT_ENGINES = ("mock",)


def _speech_module():
    """PySide6.QtTextToSpeech, or None when it cannot load (e.g. a missing audio library)."""
    try:
        from PySide6 import QtTextToSpeech
    except ImportError as exc:
        log.warning("voice prompts off: QtTextToSpeech cannot load (%s)", exc)
        return None
    return QtTextToSpeech


class VoicePrompter(QObject):
    """Speaks the kiosk's prompts; see the module docstring. Lives in the GUI thread."""

    prompt_spoken = Signal(str, str)  # prompt code, sentence

    def __init__(
        self,
        *,
        enabled: bool = True,
        engine: str | None = None,
        language: str = "zh_CN",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._history: deque[tuple[str, str]] = deque(maxlen=HISTORY_SIZE)
        self._speech = None
        self._language = language
        if enabled:
            self._speech = self._open_engine(engine)
        self.set_language(language)

    def _open_engine(self, wanted: str | None):
        module = _speech_module()
        if module is None:
            return None
        engine_class = module.QTextToSpeech
        names = [wanted] if wanted else engine_class.availableEngines()
        for name in names:
            if not wanted and name in SILENT_ENGINES:
                continue
            speech = engine_class(name, self)
            if speech.state() != engine_class.State.Error:
                log.info("voice prompts through the %s engine", name)
                return speech
            log.warning("speech engine %s failed: %s", name, speech.errorString())
            speech.deleteLater()
        log.warning("voice prompts off: no working speech engine; prompts are written only")
        return None

    @property
    def available(self) -> bool:
        """True when an engine speaks the prompts."""
        return self._speech is not None

    @property
    def engine(self) -> str:
        """The engine in use ("" when none)."""
        return self._speech.engine() if self._speech is not None else ""

    @property
    def speaking(self) -> bool:
        """True while the engine is speaking."""
        if self._speech is None:
            return False
        return self._speech.state() == type(self._speech).State.Speaking

    def set_language(self, language: str) -> None:
        """Speak in ``language`` ("zh_CN", "en") when the engine has a voice for it."""
        self._language = language
        if self._speech is None:
            return
        wanted = QLocale(language)
        for locale in self._speech.availableLocales():
            if locale.language() == wanted.language():
                self._speech.setLocale(locale)
                return
        log.info("no %s voice in the %s engine; its default voice speaks", language, self.engine)

    def say(self, code: str, sentence: str, *, important: bool = False) -> None:
        """Speak ``sentence`` now, interrupting any prompt still being spoken.

        ``important`` prompts ring the system bell when no engine speaks (take your card).
        """
        if not sentence:
            return
        self._history.append((code, sentence))
        log.debug("voice prompt %s", code)
        if self._speech is not None:
            self._speech.stop()
            self._speech.say(sentence)
        elif important:
            QApplication.beep()
        self.prompt_spoken.emit(code, sentence)

    def silence(self) -> None:
        """Stop speaking at once (e.g. when the screen is cleared)."""
        if self._speech is not None:
            self._speech.stop()

    def history(self) -> list[tuple[str, str]]:
        """The last prompts handed to the voice, oldest first: ``(code, sentence)``."""
        return list(self._history)

    def forget(self) -> None:
        """Drop the history."""
        self._history.clear()
