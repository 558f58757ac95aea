"""Where the face panel's picture comes from.

Training mode uses the seed's sample photos as the camera (design section 3): the "probe" photo
of the citizen whose card is in the reader, found in the training seed by card number. A real
camera (``devices/camera``) is not built yet; without one the panel says that no picture is
available and the clerk can take the alternative path.

Reading the photo happens on the camera's own thread; the result comes back as a Future.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

log = logging.getLogger(__name__)


class SampleCamera:
    """Training's camera: the seed's probe photo for the card in the reader."""

    def __init__(self, seed_file: Path | None = None) -> None:
        self._seed_file = seed_file
        self._executor: ThreadPoolExecutor | None = None

    def capture(self, record) -> Future:
        """Future[bytes | None]: the sample probe photo of the card's holder, None if none."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="camera")
        return self._executor.submit(self._read, record.card_no, record.ssn)

    def _read(self, card_no: str, ssn: str | None) -> bytes | None:
        from ui.app import load_seed, seed_path

        seed_file = self._seed_file or seed_path()
        seed = load_seed(seed_file)
        for citizen in seed.get("citizens", []):
            if citizen.get("card_no") == card_no and (ssn is None or citizen.get("ssn") == ssn):
                probe = citizen.get("face_probe")
                if not probe:
                    return None
                return (seed_file.parent / probe).read_bytes()
        log.info("no sample photo for this card in the training seed")
        return None

    def stop(self) -> None:
        """Stop the camera's thread (idempotent)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


class NoCamera:
    """A desk without a camera: every capture gives no picture."""

    def capture(self, record) -> Future:
        """Future resolved with None at once."""
        future: Future = Future()
        future.set_result(None)
        return future

    def stop(self) -> None:
        """Nothing to stop."""
