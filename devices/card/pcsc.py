"""Card readers through PC/SC, on pyscard's low-level ``smartcard.scard`` module.

One PC/SC context per reader object, used only on the thread that created it (the card
thread): reader and card events come from a loop of ``SCardGetStatusChange`` with a short
timeout (pyscard's ``CardMonitor`` is a process-wide singleton that blocks for a minute), which
:meth:`PcscCardReader.cancel_wait` can interrupt from any thread with ``SCardCancel``.

Cards are opened with ``SCARD_SHARE_EXCLUSIVE`` so that a multi-APDU read is never interleaved
with another program's commands. Without a reader name, the reader whose card answers the SSSE
selection is chosen; other cards (security keys, virtual smart cards) are ignored quietly.
"""

from __future__ import annotations

import logging
import threading
import time

from devices.card.apdu import ApduChannel
from devices.card.errors import CardError, CardReaderError, CardRemovedError, MultipleCardsError
from devices.card.pinpad import Pinpad
from devices.card.reader import CardConnection, CardReader
from devices.card.ssc import SocialSecurityCard

log = logging.getLogger(__name__)

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"

PCSC_UNAVAILABLE_DETAIL = (
    "PC/SC service not running: start pcscd (Linux) / the Smart Card service (Windows)"
)

# Tries of SCardConnect while another program holds the card.
SHARING_RETRIES = 20
SHARING_RETRY_DELAY = 0.1


def _scard():
    # Imported here so that modules importing devices.card load without pyscard.
    from smartcard import scard

    return scard


def _error_text(hresult: int) -> str:
    try:
        message = _scard().SCardGetErrorMessage(hresult)
    except Exception:  # pyscard raises for codes it does not know
        message = ""
    return f"{hresult & 0xFFFFFFFF:08X} {message}".strip()


def _service_codes(s) -> set[int]:
    return {
        s.SCARD_E_NO_SERVICE,
        s.SCARD_E_SERVICE_STOPPED,
        s.SCARD_E_INVALID_HANDLE,
        s.SCARD_F_COMM_ERROR,
        s.SCARD_F_INTERNAL_ERROR,
    }


def _removed_codes(s) -> set[int]:
    """Answers that can only mean the card (or its reader) is no longer the one connected."""
    return {
        s.SCARD_W_REMOVED_CARD,
        s.SCARD_E_NO_SMARTCARD,
        s.SCARD_W_RESET_CARD,
        s.SCARD_W_UNPOWERED_CARD,
        s.SCARD_E_READER_UNAVAILABLE,
        s.SCARD_E_UNKNOWN_READER,
    }


def _maybe_removed_codes(s) -> set[int]:
    """Answers a card pulled in the middle of an exchange produces, among other causes: pcscd
    says ``SCARD_E_NOT_TRANSACTED`` when the reader driver lost the card during a command, and
    the reader state shows the removal only at its next poll. After these the reader is asked
    (:meth:`PcscConnection.card_left`)."""
    names = (
        "SCARD_E_NOT_TRANSACTED",
        "SCARD_E_COMM_DATA_LOST",
        "SCARD_W_UNRESPONSIVE_CARD",
        "SCARD_F_UNKNOWN_ERROR",
        "SCARD_E_UNEXPECTED",
        "SCARD_E_TIMEOUT",
    )
    return {getattr(s, name) for name in names if hasattr(s, name)}


# After an ambiguous failure, how long to wait for the reader to show a card that left: pcscd
# polls a reader without interrupts every 0.4 s (vpcd included); a card that is still there
# after this long did not leave.
REMOVAL_SETTLE = 1.5


class _PcscTransport:
    def __init__(self, connection: PcscConnection) -> None:
        self.connection = connection

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        s = _scard()
        connection = self.connection
        hresult, response = s.SCardTransmit(connection.hcard, connection.protocol, list(apdu))
        if hresult != s.SCARD_S_SUCCESS:
            raise connection.failure("SCardTransmit", hresult)
        if len(response) < 2:
            # No status word: the card left in the middle of the exchange (vpcd reports a
            # dropped card this way), or a broken card answered that.
            if connection.card_left():
                raise CardRemovedError("an answer without a status word")
            raise CardError("bad_response", "the card answered without a status word")
        return bytes(response[:-2]), (response[-2] << 8) | response[-1]


class PcscConnection(CardConnection):
    """An exclusive PC/SC session with one card."""

    def __init__(
        self, reader: str, hcard: int, protocol: int, atr: bytes, *, context: int | None = None
    ) -> None:
        self.reader = reader
        self.atr = atr
        self.protocol = protocol
        self.hcard = hcard
        # The reader's PC/SC context, to ask for its state after a failure.
        self.context = context
        self.channel = ApduChannel(_PcscTransport(self))
        self.selected = False
        self._open = True

    def failure(self, where: str, hresult: int) -> CardError:
        """The error for a failed PC/SC call on this card.

        ``CardRemovedError`` when the card left: at once for the answers that say so, and after
        asking the reader (:meth:`card_left`) for those a pulled card produces among other
        causes (the card still there: ``card_unresponsive``); ``pcsc_unavailable`` when the
        service went away; else ``reader_error``.
        """
        s = _scard()
        text = f"{where}: {_error_text(hresult)}"
        if hresult in _removed_codes(s):
            return CardRemovedError(text)
        if hresult in _service_codes(s):
            return CardReaderError("pcsc_unavailable", PCSC_UNAVAILABLE_DETAIL)
        if hresult in _maybe_removed_codes(s):
            if self.card_left():
                return CardRemovedError(text)
            return CardError("card_unresponsive", f"the card does not answer ({text})")
        return CardReaderError("reader_error", text)

    def card_left(self) -> bool:
        """True when the card this connection talks to has left the reader (or the reader is
        gone). Waits up to :data:`REMOVAL_SETTLE` for the reader's next poll; on the card
        thread, after a failure only."""
        s = _scard()
        deadline = time.monotonic() + REMOVAL_SETTLE
        known = s.SCARD_STATE_UNAWARE
        while True:
            hresult = s.SCardStatus(self.hcard)[0]
            if hresult in _removed_codes(s):
                return True
            remaining = deadline - time.monotonic()
            if self.context is None or hresult in _service_codes(s) or remaining <= 0:
                return False
            wait = 0 if known == s.SCARD_STATE_UNAWARE else int(remaining * 1000)
            hresult, states = s.SCardGetStatusChange(self.context, wait, [(self.reader, known)])
            if hresult in (s.SCARD_E_UNKNOWN_READER, s.SCARD_E_READER_UNAVAILABLE):
                return True
            if hresult in (s.SCARD_E_TIMEOUT, s.SCARD_E_CANCELLED):
                continue
            if hresult != s.SCARD_S_SUCCESS or not states:
                return False
            event = states[0][1]
            if event & (s.SCARD_STATE_EMPTY | s.SCARD_STATE_UNAVAILABLE):
                return True
            known = event & ~s.SCARD_STATE_CHANGED

    def card(self) -> SocialSecurityCard:
        """The social security card application over this connection."""
        return SocialSecurityCard(
            self.channel, reader=self.reader, atr=self.atr, selected=self.selected
        )

    def control(self, code: int, data: bytes = b"") -> bytes:
        """``SCardControl``: removal raises ``CardRemovedError``, a refusal ``CardError``."""
        s = _scard()
        hresult, response = s.SCardControl(self.hcard, code, list(data))
        if hresult != s.SCARD_S_SUCCESS:
            error = self.failure(f"SCardControl {code:#x}", hresult)
            if type(error) is CardReaderError and error.code == "reader_error":
                # A refused control call says nothing about the reader as a whole.
                raise CardError("reader_error", error.detail)
            raise error
        return bytes(response)

    def pinpad(self) -> Pinpad | None:
        """The reader's part 10 pinpad (VERIFY_PIN_DIRECT), None when it has none."""
        return Pinpad.discover(self.control)

    def disconnect(self, *, reset: bool = False) -> None:
        """``SCardDisconnect``; ``reset`` resets the card (a verified PIN does not linger)."""
        if not self._open:
            return
        self._open = False
        s = _scard()
        disposition = s.SCARD_RESET_CARD if reset else s.SCARD_LEAVE_CARD
        hresult = s.SCardDisconnect(self.hcard, disposition)
        if hresult != s.SCARD_S_SUCCESS:
            log.debug("SCardDisconnect: %s", _error_text(hresult))


def _relevant(state: int) -> tuple[int, int]:
    """What counts as a change: presence flags and the insertion/removal counter."""
    s = _scard()
    mask = s.SCARD_STATE_PRESENT | s.SCARD_STATE_EMPTY | s.SCARD_STATE_MUTE
    mask |= s.SCARD_STATE_UNAVAILABLE
    return (state & mask, state >> 16)


class PcscCardReader(CardReader):
    """A PC/SC reader, or without ``reader_name`` whichever reader holds a social security card.

    All methods except :meth:`cancel_wait` must run on the thread that created the object.
    Raises ``CardReaderError("pcsc_unavailable")`` when the PC/SC service is not running; the
    context is re-established on the next call once it runs again.
    """

    def __init__(
        self,
        reader_name: str | None = None,
        *,
        connection_class: type[PcscConnection] | None = None,
    ) -> None:
        self.wanted = reader_name
        self.name = reader_name or ""
        # Tests substitute a connection whose control() plays a pinpad reader (vpcd refuses
        # control calls).
        self._connection_class = connection_class or PcscConnection
        self._preferred: str | None = None
        self._thread = threading.get_ident()
        self._context: int | None = None
        self._states: dict[str, int] = {}
        self._atrs: dict[str, bytes] = {}
        self._pnp_state = 0
        # Auto selection: reader -> (insertion counter, holds a social security card).
        self._verdicts: dict[str, tuple[int, bool]] = {}
        self._cancelled = threading.Event()  # for waits that SCardCancel cannot reach
        self._unreported = False  # a relevant change seen outside wait_for_change()
        self._establish()

    # -- context ---------------------------------------------------------------------------

    def _check_thread(self) -> None:
        if threading.get_ident() != self._thread:
            raise RuntimeError("PcscCardReader used outside the thread that created it")

    def _establish(self) -> int:
        if self._context is None:
            s = _scard()
            hresult, context = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
            if hresult != s.SCARD_S_SUCCESS:
                log.debug("SCardEstablishContext: %s", _error_text(hresult))
                raise CardReaderError("pcsc_unavailable", PCSC_UNAVAILABLE_DETAIL)
            self._context = context
            self._states.clear()
            self._pnp_state = 0
            log.info("PC/SC context established")
        return self._context

    def _lost_service(self, where: str, hresult: int) -> CardReaderError:
        log.info("%s: %s", where, _error_text(hresult))
        self._drop_context()
        return CardReaderError("pcsc_unavailable", PCSC_UNAVAILABLE_DETAIL)

    def _drop_context(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            s = _scard()
            s.SCardReleaseContext(context)
        self._states.clear()

    def close(self) -> None:
        """Release the PC/SC context."""
        self._drop_context()

    def cancel_wait(self) -> None:
        """Interrupt ``SCardGetStatusChange`` (``SCardCancel``; safe from any thread)."""
        self._cancelled.set()
        context = self._context
        if context is not None:
            _scard().SCardCancel(context)

    # -- readers and events ----------------------------------------------------------------

    def readers(self) -> list[str]:
        """The readers this object watches: the named one if connected, else all of them."""
        names = self.all_readers()
        if self.wanted is not None:
            return [n for n in names if n == self.wanted]
        return names

    def all_readers(self) -> list[str]:
        """Every PC/SC reader (empty list when none is connected)."""
        self._check_thread()
        s = _scard()
        context = self._establish()
        hresult, names = s.SCardListReaders(context, [])
        if hresult == s.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult in _service_codes(s):
            raise self._lost_service("SCardListReaders", hresult)
        if hresult != s.SCARD_S_SUCCESS:
            raise CardReaderError("reader_error", f"SCardListReaders: {_error_text(hresult)}")
        return [n for n in names if n != PNP_NOTIFICATION]

    def _poll(self, timeout: float) -> tuple[bool, bool]:
        """One ``SCardGetStatusChange``: ``(relevant change seen, timed out or cancelled)``."""
        s = _scard()
        names = self.readers()
        changed = set(names) != set(self._states)
        for gone in set(self._states) - set(names):
            del self._states[gone]
            self._verdicts.pop(gone, None)
        states = [(n, self._states.get(n, s.SCARD_STATE_UNAWARE)) for n in names]
        states.append((PNP_NOTIFICATION, self._pnp_state))
        hresult, new_states = s.SCardGetStatusChange(self._establish(), int(timeout * 1000), states)
        if hresult in (s.SCARD_E_TIMEOUT, s.SCARD_E_CANCELLED):
            self._unreported |= changed
            return changed, True
        if hresult == s.SCARD_E_NO_READERS_AVAILABLE:
            # Some stacks refuse to wait when no reader is attached: wait here instead.
            self._cancelled.wait(timeout)
            self._cancelled.clear()
            self._unreported |= changed
            return changed, True
        if hresult in (s.SCARD_E_UNKNOWN_READER, s.SCARD_E_READER_UNAVAILABLE):
            self._states.clear()  # the reader list changed under us
            self._unreported = True
            return True, True
        if hresult in _service_codes(s):
            raise self._lost_service("SCardGetStatusChange", hresult)
        if hresult != s.SCARD_S_SUCCESS:
            raise CardReaderError("reader_error", f"SCardGetStatusChange: {_error_text(hresult)}")
        for name, event, atr in new_states:
            current = event & ~s.SCARD_STATE_CHANGED
            if name == PNP_NOTIFICATION:
                changed |= bool(event & s.SCARD_STATE_CHANGED)
                self._pnp_state = current
                continue
            old = self._states.get(name)
            if old is None or _relevant(old) != _relevant(current):
                changed = True
            self._states[name] = current
            self._atrs[name] = bytes(atr)
        # A change seen by card_present() or connect() is still reported by wait_for_change().
        self._unreported |= changed
        return changed, False

    def wait_for_change(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for a card insertion or removal or a reader list change.

        Changes of other flags (in use, powered) are absorbed here; :meth:`cancel_wait` makes
        it return False at once.
        """
        self._check_thread()
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            remaining = max(deadline - time.monotonic(), 0.0)
            if self._unreported:
                self._unreported = False
                return True
            changed, finished = self._poll(remaining)
            if changed:
                self._unreported = False
                return True
            if finished or time.monotonic() >= deadline:
                return False

    def _present(self, name: str) -> bool:
        s = _scard()
        state = self._states.get(name, 0)
        return bool(state & s.SCARD_STATE_PRESENT) and not state & s.SCARD_STATE_MUTE

    def card_present(self) -> bool:
        """True when a card is present (in any reader not known to hold a foreign card)."""
        self._check_thread()
        self._poll(0)
        for name in self._states:
            if not self._present(name):
                continue
            verdict = self._verdicts.get(name)
            if self.wanted is None and verdict and verdict == (self._counter(name), False):
                continue
            return True
        return False

    def _counter(self, name: str) -> int:
        return self._states.get(name, 0) >> 16

    def event_count(self, reader: str) -> int | None:
        """The insertion/removal counter of ``reader`` as of the last poll (None: unknown)."""
        self._check_thread()
        if reader not in self._states:
            return None
        return self._counter(reader)

    def ignored_readers(self) -> list[str]:
        """Readers holding a card found not to be a social security card (this insertion)."""
        self._check_thread()
        return sorted(
            name
            for name, (counter, qualifies) in self._verdicts.items()
            if not qualifies and self._present(name) and counter == self._counter(name)
        )

    def choose(self, reader: str | None) -> None:
        """Prefer ``reader`` among several holding a social security card (None: automatic).

        The choice lasts while that reader keeps its card. ``CardError("no_such_reader")``
        when no such reader is connected.
        """
        self._check_thread()
        if reader is not None and reader not in self.all_readers():
            raise CardError("no_such_reader", f"no reader named {reader!r}")
        self._preferred = reader
        if reader is not None:
            log.info("reader chosen: %r", reader)

    # -- connecting ------------------------------------------------------------------------

    def _open(self, name: str) -> PcscConnection:
        s = _scard()
        context = self._establish()
        for attempt in range(SHARING_RETRIES):
            hresult, hcard, protocol = s.SCardConnect(
                context, name, s.SCARD_SHARE_EXCLUSIVE, s.SCARD_PROTOCOL_T0 | s.SCARD_PROTOCOL_T1
            )
            if hresult != s.SCARD_E_SHARING_VIOLATION:
                break
            log.debug("card in %r busy (attempt %d)", name, attempt + 1)
            time.sleep(SHARING_RETRY_DELAY)
        if hresult == s.SCARD_S_SUCCESS:
            hresult_status, _reader, _state, _protocol, atr = s.SCardStatus(hcard)
            if hresult_status in _removed_codes(s):
                s.SCardDisconnect(hcard, s.SCARD_LEAVE_CARD)
                raise CardRemovedError(f"SCardStatus: {_error_text(hresult_status)}")
            atr_bytes = bytes(atr) if hresult_status == s.SCARD_S_SUCCESS else self._atrs.get(name)
            log.debug("connected to %r (protocol %s)", name, protocol)
            return self._connection_class(name, hcard, protocol, atr_bytes or b"", context=context)
        if hresult == s.SCARD_E_SHARING_VIOLATION:
            raise CardError("card_busy", f"card in {name!r} is held by another program")
        if hresult in (s.SCARD_E_NO_SMARTCARD, s.SCARD_W_REMOVED_CARD):
            raise CardError("card_absent", f"no card in {name!r}")
        if hresult in (s.SCARD_W_UNRESPONSIVE_CARD, s.SCARD_W_UNPOWERED_CARD):
            raise CardError("card_unresponsive", f"card in {name!r} does not answer")
        if hresult in (s.SCARD_E_UNKNOWN_READER, s.SCARD_E_READER_UNAVAILABLE):
            raise CardReaderError("no_reader", f"reader {name!r} is not available")
        if hresult in _service_codes(s):
            raise self._lost_service("SCardConnect", hresult)
        raise CardReaderError("reader_error", f"SCardConnect: {_error_text(hresult)}")

    def connect(self) -> PcscConnection:
        """Open an exclusive session with the social security card.

        With a reader name, that reader's card. Without, the one reader whose card answers the
        SSSE selection (cached per insertion); when several do, the one :meth:`choose` named,
        else :class:`MultipleCardsError`; ``CardError("not_ssc")`` when cards are present but
        none qualifies.
        """
        self._check_thread()
        self._poll(0)
        if self.wanted is not None:
            if self.wanted not in self._states:
                known = ", ".join(self.all_readers()) or "none"
                raise CardReaderError(
                    "no_reader", f"reader {self.wanted!r} not found (readers: {known})"
                )
            if not self._present(self.wanted):
                raise CardError("card_absent", f"no card in {self.wanted!r}")
            return self._open(self.wanted)

        if not self._states:
            raise CardReaderError("no_reader")
        candidates = [n for n in self._states if self._present(n)]
        if not candidates:
            raise CardError("card_absent")

        qualified: list[str] = []
        probed: PcscConnection | None = None
        for name in candidates:
            counter = self._counter(name)
            verdict = self._verdicts.get(name)
            if verdict is not None and verdict[0] == counter:
                if verdict[1]:
                    qualified.append(name)
                continue
            try:
                connection = self._open(name)
            except CardError as exc:
                if isinstance(exc, CardReaderError) and exc.code == "pcsc_unavailable":
                    raise
                log.debug("skipping reader %r: %s", name, exc.code)
                continue
            try:
                connection.card().select()
            except CardError as exc:
                connection.disconnect()
                if exc.code == "not_ssc":
                    self._verdicts[name] = (counter, False)
                    log.info("ignoring the card in %r: not a social security card", name)
                continue
            self._verdicts[name] = (counter, True)
            qualified.append(name)
            connection.selected = True
            if probed is None:
                probed = connection
            else:
                connection.disconnect()

        preferred = self._preferred
        if preferred is not None and preferred not in qualified:
            # The chosen reader's card left: the choice ends with it.
            self._preferred = preferred = None
        if len(qualified) > 1 and preferred is None:
            if probed is not None:
                probed.disconnect()
            raise MultipleCardsError(sorted(qualified))
        if not qualified:
            raise CardError("not_ssc", "no reader holds a social security card")
        self.name = preferred or qualified[0]
        if probed is not None:
            if probed.reader == self.name:
                return probed
            probed.disconnect()
        return self._open(self.name)
