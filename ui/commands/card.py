"""The card commands: ``card read``, ``card watch``, ``card doctor`` and ``card-sim``.

``card read`` and ``card watch`` use the PC/SC reader by default (``--reader-kind sim`` with
``--profile`` reads an emulated card in-process instead; ``--reader-kind sscard`` with
``--driver LIB`` goes through a vendor's unified-interface library). ``card doctor`` checks the
PC/SC stack and says how to fix it. ``card-sim`` attaches an emulated card to pcscd's vpcd
virtual reader. JSON output is one object per line; streams carry an ``event`` key. Exit codes:
0 done, 1 failed, 2 bad usage; ``card read`` with ``--pin``/``--pinpad`` exits 3 when the card
was read but the PIN was not accepted (wrong, blocked, the card taken out during the check, the
application locked, the keypad's timeout or cancel, no clear answer).

``card read --unmasked`` shows the holder's full ID number and name, so it is recorded in this
computer's desk audit trail (action ``unmasked_view``, the operating-system user as actor, no
personal data) before anything is printed: the production desk's with ``--config``, else the
training desk's. Without a desk set up on this computer there is no trail to record it in, and
``--unmasked`` is refused.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PIN_NOT_ACCEPTED = 3

READ_EXIT_CODES = (
    "exit codes: 0 read (and, with --pin or --pinpad, the PIN accepted); 1 failed (no card, "
    "unreadable card, reader or service error, no PIN keypad for --pinpad); 2 bad usage (a "
    "--pin that is not 4 to 12 digits among them: no card is touched); 3 card read but the PIN not "
    "accepted: wrong, blocked, card taken out during the check, application locked, keypad "
    "timeout or cancel, or no clear answer (the output's pin_result and pin_error say which)"
)

DEFAULT_VPCD_HOST = "127.0.0.1"
DEFAULT_VPCD_PORT = 35963
# card watch re-reads an idle card's identity this often: a swap faster than the reader's
# poll then shows within 3 s (design section 8): at most this interval, plus one wait of the
# card thread (0.5 s) and the identity read (3 APDUs, ~0.15 s through vpcd).
WATCH_IDENTITY_INTERVAL = 2.0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``card read``, ``card watch`` and ``card-sim``."""
    card = subparsers.add_parser(
        "card",
        help="read social security cards",
        description="Read social security cards in a PC/SC reader.",
    )
    card_commands = card.add_subparsers(
        title="card commands", metavar="SUBCOMMAND", dest="card_command", required=True
    )

    read = card_commands.add_parser(
        "read",
        help="read the card in a reader",
        description=(
            "Read the card issuer and holder data. ssn and name are masked unless --unmasked. "
            "With --pin, the PIN is verified on the card (training and tests only)."
        ),
        epilog=READ_EXIT_CODES,
    )
    _add_reader_args(read)
    read.add_argument("--pin", help="verify this PIN (4-12 digits; training and tests only)")
    read.add_argument(
        "--pinpad",
        action="store_true",
        help="verify the PIN keyed on the reader's own keypad (pinpad readers, --reader-kind "
        "sscard)",
    )
    read.add_argument(
        "--key-service",
        choices=("test",),
        default=None,
        help="external authentication for third-generation cards (test: the fixed test key)",
    )
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.add_argument("--unmasked", action="store_true", help="show ssn and name in full")
    read.set_defaults(handler=cmd_card_read)

    watch = card_commands.add_parser(
        "watch",
        help="print reader and card events",
        description=(
            "Print reader and card events (masked identity) until interrupted. An idle card's "
            f"identity is read again every {WATCH_IDENTITY_INTERVAL:g} s, so a quick swap shows."
        ),
    )
    _add_reader_args(watch)
    watch.add_argument("--json", action="store_true", help="one JSON event per line")
    watch.set_defaults(handler=cmd_card_watch)

    doctor = card_commands.add_parser(
        "doctor",
        help="check the PC/SC service, the readers and their drivers",
        description=(
            "Check that the PC/SC service runs, that a card reader is connected and that it has "
            "a driver; say what to do otherwise. Exit 0 when a reader is usable."
        ),
    )
    doctor.add_argument("--json", action="store_true", help="print one JSON object")
    doctor.set_defaults(handler=cmd_card_doctor)

    sim = subparsers.add_parser(
        "card-sim",
        help="attach an emulated card to the vpcd virtual reader",
        description=(
            "Attach an emulated card (a card profile) to pcscd's vpcd virtual reader and print "
            "JSON events, one per line: attached (first time the reader shows the card), "
            "inserted, removed, swapped, pulled, pull_armed, waiting, error, detached. "
            "Commands on stdin, one per line: remove | insert | swap FILE (an exchange faster "
            "than the reader's poll: no PC/SC event) | pull-on-next-verify (the next VERIFY "
            "with a PIN removes the card unanswered) | pull-after N (the N-th command from now "
            "removes the card unanswered: a card pulled in the middle of a read) | quit. End "
            "of input means quit, except "
            "when stdin is the null device (e.g. </dev/null): then it runs until SIGTERM or "
            "SIGINT."
        ),
    )
    sim.add_argument("--profile", type=Path, required=True, help="card profile (JSON)")
    sim.add_argument("--port", type=int, default=DEFAULT_VPCD_PORT, help="vpcd slot port")
    sim.add_argument("--host", default=DEFAULT_VPCD_HOST, help="vpcd host (loopback)")
    sim.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="fail when the reader has not shown the card after this many seconds",
    )
    sim.set_defaults(handler=cmd_card_sim)


def _add_reader_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reader",
        metavar="NAME",
        help="PC/SC reader name (default: the reader holding a social security card)",
    )
    parser.add_argument(
        "--reader-kind",
        choices=("pcsc", "sim", "sscard"),
        default="pcsc",
        help="pcsc (default); sim: an emulated card in-process (needs --profile); sscard: the "
        "unified reader interface of a vendor library (needs --driver)",
    )
    parser.add_argument("--profile", type=Path, help="card profile for --reader-kind sim")
    parser.add_argument(
        "--driver", type=Path, help="the SSCardDriver library for --reader-kind sscard"
    )


# -- output helpers --------------------------------------------------------------------------


_print_lock = threading.Lock()


def _print_json(obj: dict[str, Any]) -> None:
    text = json.dumps(obj, ensure_ascii=False)
    with _print_lock:
        try:
            print(text, flush=True)
        except UnicodeEncodeError:
            print(json.dumps(obj), flush=True)


def _print_text(text: str) -> None:
    with _print_lock:
        try:
            print(text, flush=True)
        except UnicodeEncodeError:
            print(text.encode("ascii", "backslashreplace").decode("ascii"), flush=True)


def _fail(command: str, message: str, code: int = EXIT_FAILED) -> int:
    print(f"hall-counter {command}: {message}", file=sys.stderr, flush=True)
    return code


# What to do next, per error code (the detail says what happened).
_HINTS = {
    "card_absent": "insert a social security card",
    "not_ssc": "insert a social security card",
    "no_reader": "connect a card reader, or check --reader",
    "multiple_cards": "choose one with --reader NAME",
    "card_busy": "close the other program that uses the card",
    "card_unresponsive": "take the card out and insert it again",
    "no_pinpad": "use --pin, or a reader with a PIN keypad",
    "pinpad_required": "use --pinpad: the PIN is keyed on the reader",
    "driver_unavailable": "check --driver",
    "reader_driver_missing": "run `hall-counter card doctor`",
    "card_removed": "insert the card again and keep it in until the read is done",
    "app_locked": "the card must be unlocked at the card service",
    "pinpad_timeout": "try again and key the PIN on the reader",
}

# Errors of a PIN check that mean the PIN was not accepted (exit 3), as a wrong PIN is.
PIN_REFUSALS = frozenset({"app_locked", "pinpad_timeout", "pinpad_cancelled", "pinpad_bad_length"})

# What a PIN result means, in plain English (``card read``'s text output and messages).
_PIN_TEXTS = {
    "ok": "accepted",
    "wrong": "wrong PIN",
    "blocked": "blocked after too many wrong tries; the PIN must be reset at the card service",
    "card_removed": "not checked: the card was taken out during the PIN check (this does not "
    "count as a wrong try)",
    "unknown": "not checked: the card gave no clear answer",
}


def pin_text(status: str, tries_left: int | None, error: Exception | None = None) -> str:
    """A PIN outcome as a plain English sentence (never the raw code alone)."""
    if error is not None:
        from devices.card.errors import CODES

        code = getattr(error, "code", "")
        hint = _HINTS.get(code)
        text = f"not checked: {CODES.get(code, str(error))}"
        return f"{text}; {hint}" if hint else text
    text = _PIN_TEXTS.get(status, f"not checked ({status})")
    if status == "wrong":
        if tries_left is None:
            text += ", tries left unknown"
        else:
            text += f", {tries_left} {'try' if tries_left == 1 else 'tries'} left"
    return text


def error_message(exc: Exception) -> str:
    """One line for a card error: what happened and, where known, what to do."""
    from devices.card.errors import CardError

    if not isinstance(exc, CardError):
        return str(exc)
    hint = _HINTS.get(exc.code)
    return f"{exc.detail}; {hint}" if hint else exc.detail


def warning_text(code: str) -> str:
    """A card data warning as a plain English phrase."""
    from devices.card.record import WARNINGS

    return WARNINGS.get(code, f"card data warning {code}")


def _make_reader(args: argparse.Namespace):
    """The reader for --reader-kind (pcsc, sim with --profile inserted, sscard with --driver)."""
    if args.reader_kind == "sscard":
        from devices.card.sscard import SSCardDriverReader

        return SSCardDriverReader(args.driver, name=args.reader)
    if args.reader_kind == "sim":
        from devices.card.simulated import SimulatedCardReader

        reader = SimulatedCardReader(name=args.reader or "Simulated Reader 00")
        reader.insert(args.profile)
        return reader
    from devices.card.pcsc import PcscCardReader

    return PcscCardReader(args.reader)


def _check_reader_args(args: argparse.Namespace) -> str | None:
    if args.reader_kind == "sim" and args.profile is None:
        return "--reader-kind sim needs --profile FILE"
    if args.reader_kind != "sim" and args.profile is not None:
        return "--profile is only for --reader-kind sim"
    if args.reader_kind == "sscard" and args.driver is None:
        return "--reader-kind sscard needs --driver LIBRARY"
    if args.reader_kind != "sscard" and args.driver is not None:
        return "--driver is only for --reader-kind sscard"
    return None


# -- card read -------------------------------------------------------------------------------


def cmd_card_read(args: argparse.Namespace) -> int:
    """``card read``: read the card (and verify a PIN); print JSON or a summary."""
    from devices.card.emulator import ProfileError
    from devices.card.errors import CardError
    from devices.card.keys import TestKeyService
    from devices.card.record import PinResult
    from devices.card.ssc import encode_pin

    usage = _check_reader_args(args)
    if usage:
        return _fail("card read", usage, EXIT_USAGE)
    audit_target = None
    if args.unmasked:
        audit_target = _unmasked_audit_target(args)
        if isinstance(audit_target, str):
            return _fail("card read", audit_target, EXIT_USAGE)
    if args.pin is not None:
        if args.pinpad:
            return _fail("card read", "--pin and --pinpad exclude each other", EXIT_USAGE)
        try:
            encode_pin(args.pin)
        except CardError:
            return _fail("card read", "--pin must be 4 to 12 digits", EXIT_USAGE)
    key_service = TestKeyService() if args.key_service == "test" else None

    try:
        reader = _make_reader(args)
    except ProfileError as exc:
        return _fail("card read", str(exc))
    except CardError as exc:
        return _fail("card read", error_message(exc))

    pin_error: CardError | None = None
    try:
        with reader.connect() as connection:
            card = connection.card()
            record = card.read_record(key_service=key_service)
            output = record.to_json(unmasked=args.unmasked)
            if args.pin is not None or args.pinpad:
                try:
                    if args.pinpad:
                        pinpad = connection.pinpad()
                        if pinpad is None:
                            raise CardError("no_pinpad")
                        if not args.json:
                            _print_text("Enter the PIN on the reader's keypad.")
                        result = pinpad.verify()
                    elif card.pin_tries_left() == 0:
                        # Blocked: the PIN is not sent (it could not be checked anyway).
                        result = PinResult("blocked", 0)
                    else:
                        result = card.verify_pin(args.pin)
                    output["pin_result"] = result.status
                    output["pin_tries_left"] = result.tries_left
                except CardError as exc:  # app_locked, the pinpad's timeout or cancel
                    pin_error = exc
                    output["pin_result"] = "unknown"
                    output["pin_tries_left"] = None
                    output["pin_error"] = exc.code
                # Do not leave a verified PIN on the card for the next program (a card that
                # left cannot be reset).
                connection.disconnect(reset=output["pin_result"] != "card_removed")
    except CardError as exc:
        return _fail("card read", error_message(exc))
    finally:
        reader.close()

    if audit_target is not None:
        problem = _record_unmasked(audit_target)
        if problem:
            return _fail("card read", problem)
    if args.json:
        _print_json(output)
    else:
        _print_text(_summary(output, pin_error))
    if pin_error is not None and pin_error.code not in PIN_REFUSALS:
        # The PIN never reached a card or keypad that could judge it (no keypad, a reader
        # error): the command failed.
        return _fail("card read", f"PIN not verified: {error_message(pin_error)}")
    if "pin_result" in output and (pin_error is not None or output["pin_result"] != "ok"):
        sentence = pin_text(output["pin_result"], output["pin_tries_left"], pin_error)
        return _fail("card read", f"PIN not accepted: {sentence}", EXIT_PIN_NOT_ACCEPTED)
    return EXIT_OK


def _unmasked_audit_target(args: argparse.Namespace) -> dict[str, Any] | str:
    """Where ``--unmasked`` is recorded: the desk's data dir, workstation and crypto suite;
    a sentence saying why not when this computer has no desk."""
    from ui.app import WORKSTATION_FILE, training_data_dir

    if args.config is not None:
        from desktop.settings import SettingsError, load_settings

        try:
            settings = load_settings(args.config)
        except SettingsError as exc:
            return f"--unmasked needs the desk's configuration: {exc}"
        return {
            "data_dir": Path(args.data_dir),
            "workstation_id": settings.workstation_id,
            "crypto_suite": settings.crypto_suite,
        }
    data_dir = training_data_dir(args.data_dir)
    stored = data_dir / WORKSTATION_FILE
    try:
        workstation = json.loads(stored.read_text(encoding="utf-8"))["workstation_id"]
    except (OSError, ValueError, KeyError):
        return (
            "--unmasked is recorded in the desk's audit trail, and no desk is set up on this "
            "computer (give --config, or run the training desk once)"
        )
    return {"data_dir": data_dir, "workstation_id": workstation, "crypto_suite": "international"}


def _os_actor() -> str:
    """The operating-system user as an audit actor (``os:NAME``)."""
    import getpass
    import re

    try:
        user = getpass.getuser()
    except Exception:
        user = "unknown"
    return "os:" + (re.sub(r"[^A-Za-z0-9_.@-]", "_", user)[:60] or "unknown")


def _record_unmasked(target: dict[str, Any]) -> str | None:
    """Append the ``unmasked_view`` record; None when done, else why it failed."""
    from desktop.audit import append_record

    try:
        append_record(
            target["data_dir"],
            "unmasked_view",
            workstation_id=target["workstation_id"],
            crypto_suite=target["crypto_suite"],
            actor=_os_actor(),
            details={"fields": ["ssn", "name"], "via": "cli"},
        )
    except Exception as exc:
        code = getattr(exc, "code", type(exc).__name__)
        return f"the unmasked read could not be recorded in the audit trail ({code}); not shown"
    return None


def _summary(data: dict[str, Any], pin_error: Exception | None = None) -> str:
    sexes = {"0": "unknown", "1": "male", "2": "female", "9": "not stated"}
    sex = sexes.get(data["sex"] or "", data["sex"] or "-")

    def value(key: str) -> str:
        item = data.get(key)
        return "-" if item in (None, "") else str(item)

    lines = [
        ("Reader", value("reader")),
        ("Name", value("name")),
        ("ID number", value("ssn")),
        ("Sex", sex),
        ("Birth date", value("birth_date")),
        ("Ethnicity", value("ethnicity")),
        ("Birthplace", value("birthplace")),
        ("Card number", value("card_no")),
        ("Card ID code", value("card_id_code")),
        ("Card type", value("card_type")),
        ("Version", f"{value('version')} (generation {data['generation']})"),
        ("Issued by", value("init_org")),
        ("Issued", value("issue_date")),
        ("Expires", value("expiry_date")),
        ("ATR", value("atr")),
    ]
    if data["protected"]:
        lines.append(("Protected", ", ".join(data["protected"])))
    lines.append(("Warnings", "; ".join(map(warning_text, data["warnings"])) or "none"))
    if "pin_result" in data:
        lines.append(("PIN", pin_text(data["pin_result"], data["pin_tries_left"], pin_error)))
    width = max(len(label) for label, _ in lines) + 2
    return "\n".join(f"{label + ':':<{width}}{text}" for label, text in lines)


# -- card watch ------------------------------------------------------------------------------


def mask_code(value: str | None, keep_start: int, keep_end: int) -> str | None:
    """Mask the middle of an identifier, keeping ``keep_start`` and ``keep_end`` characters."""
    if value is None:
        return None
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    middle = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * middle + value[len(value) - keep_end :]


class _WatchPrinter:
    """A CardService listener printing events (runs on the card thread)."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def _out(self, event: dict[str, Any], text: str) -> None:
        if self.as_json:
            _print_json(event)
        else:
            _print_text(f"{datetime.now():%H:%M:%S} {text}")

    def on_reader_state(self, state: str, detail: str) -> None:
        self._out({"event": "reader_state", "state": state, "detail": detail},
                  f"reader {state}: {detail}")  # fmt: skip

    def on_card_inserted(self, record) -> None:
        from devices.card.record import mask_name, mask_ssn

        event = {
            "event": "card_inserted",
            "reader": record.reader,
            "card_id_code": mask_code(record.card_id_code, 6, 4),
            "card_no": mask_code(record.card_no, 1, 2),
            "ssn": mask_ssn(record.ssn),
            "name": mask_name(record.name),
            "generation": record.generation,
            "warnings": list(record.warnings),
        }
        self._out(event, f"card inserted in {record.reader}: card {event['card_no']}, "
                  f"{event['name']} {event['ssn']}")  # fmt: skip

    def on_card_removed(self) -> None:
        self._out({"event": "card_removed"}, "card removed")

    def on_card_error(self, error) -> None:
        event = {"event": "card_error", "code": error.code, "detail": error.detail}
        readers = getattr(error, "readers", None)
        if readers:
            event["readers"] = list(readers)
        self._out(event, f"card error: {error_message(error)}")

    def on_card_swapped(self) -> None:
        self._out({"event": "card_swapped"}, "another card is in the reader (quick swap)")

    def on_card_ignored(self, reader: str) -> None:
        self._out({"event": "card_ignored", "reader": reader},
                  f"ignoring the card in {reader}: not a social security card")  # fmt: skip


class _Terminate(Exception):
    """Raised in the main thread by the SIGTERM/SIGINT handler."""


def _install_signal_handlers() -> dict[int, Any]:
    def handler(signum, frame):
        raise _Terminate()

    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, handler)
    return previous


def _restore_signal_handlers(previous: dict[int, Any]) -> None:
    for signum, old in previous.items():
        signal.signal(signum, old)


def cmd_card_watch(args: argparse.Namespace) -> int:
    """``card watch``: print reader and card events until SIGINT/SIGTERM."""
    from desktop.card_service import CardService
    from devices.card.emulator import ProfileError
    from devices.card.errors import CardError

    usage = _check_reader_args(args)
    if usage:
        return _fail("card watch", usage, EXIT_USAGE)
    if args.reader_kind == "sscard" and not args.driver.is_file():
        return _fail("card watch", f"no driver library at {args.driver}")
    if args.reader_kind == "sim":
        try:
            from devices.card.emulator import load_profile

            load_profile(args.profile)
        except ProfileError as exc:
            return _fail("card watch", str(exc))

    service = CardService(
        lambda: _make_reader(args), identity_check_interval=WATCH_IDENTITY_INTERVAL
    )
    service.add_listener(_WatchPrinter(args.json))
    stopped = threading.Event()
    previous = _install_signal_handlers()
    try:
        service.start()
        while not stopped.wait(0.5):
            if not service.running:
                return _fail("card watch", "the card thread stopped")
    except _Terminate:
        pass
    except CardError as exc:
        return _fail("card watch", error_message(exc))
    finally:
        _restore_signal_handlers(previous)
        service.stop()
    return EXIT_OK


# -- card doctor -----------------------------------------------------------------------------


def cmd_card_doctor(args: argparse.Namespace) -> int:
    """``card doctor``: the PC/SC stack's health, with the fix for this platform."""
    from devices.card.health import diagnose

    result = diagnose()
    if args.json:
        _print_json(result.to_json())
    else:
        lines = [f"PC/SC: {result.detail}"]
        if result.readers:
            lines.extend(f"  reader: {name}" for name in result.readers)
        if result.fix:
            lines.append(f"Fix: {result.fix}")
        _print_text("\n".join(lines))
    return EXIT_OK if result.ok else EXIT_FAILED


# -- card-sim --------------------------------------------------------------------------------


def _stdin_is_null() -> bool:
    """True when stdin is the null device (or missing): then EOF does not mean quit."""
    if sys.stdin is None:
        return True
    try:
        stat = os.fstat(sys.stdin.fileno())
        null = os.stat(os.devnull)
    except (OSError, ValueError):
        return True
    return (stat.st_dev, stat.st_ino) == (null.st_dev, null.st_ino) and not os.isatty(0)


def cmd_card_sim(args: argparse.Namespace) -> int:
    """``card-sim``: attach an emulated card to vpcd; obey stdin commands; print events."""
    from devices.card.emulator import CardEmulator, ProfileError
    from devices.card.vpcd import VpcdLink

    try:
        emulator = CardEmulator.from_file(args.profile)
    except ProfileError as exc:
        return _fail("card-sim", str(exc))

    attached = threading.Event()
    failures: list[str] = []

    def on_event(event: dict[str, Any]) -> None:
        event = dict(event)
        if event["event"] == "inserted" and not attached.is_set():
            event["event"] = "attached"
            event["host"] = args.host
            attached.set()
        if event["event"] == "error" and not attached.is_set():
            failures.append(event.get("detail", event.get("code", "error")))
        _print_json(event)

    link = VpcdLink(emulator, args.host, args.port, on_event=on_event)
    previous = _install_signal_handlers()
    try:
        link.start()
        deadline = time.monotonic() + args.timeout
        while not attached.wait(0.1):
            if time.monotonic() > deadline:
                reason = failures[0] if failures else "vpcd did not poll the card"
                return _fail(
                    "card-sim",
                    f"the reader did not show the card within {args.timeout:g} s: {reason} "
                    "(is pcscd running with vsmartcard-vpcd, and is the slot free?)",
                )
        if _stdin_is_null():
            while True:
                time.sleep(3600)
        for line in sys.stdin:
            if not _sim_command(line.strip(), link):
                break
    except _Terminate:
        pass
    finally:
        _restore_signal_handlers(previous)
        link.close()
        _print_json({"event": "detached", "port": args.port})
    return EXIT_OK


def _sim_command(line: str, link) -> bool:
    """Run one stdin command; False to quit."""
    from devices.card.emulator import CardEmulator, ProfileError

    if not line:
        return True
    command, _, argument = line.partition(" ")
    argument = argument.strip()
    if command == "quit":
        return False
    if command == "remove":
        link.remove()
    elif command == "insert":
        link.insert()
    elif command == "swap":
        if not argument:
            _print_json({"event": "error", "code": "bad_command", "detail": "swap needs FILE"})
            return True
        try:
            link.swap(CardEmulator.from_file(argument))
        except ProfileError as exc:
            _print_json({"event": "error", "code": "bad_profile", "detail": str(exc)})
    elif command == "pull-after":
        if not argument.isdigit() or int(argument) < 1:
            detail = "pull-after needs a number of commands (1 or more)"
            _print_json({"event": "error", "code": "bad_command", "detail": detail})
            return True
        try:
            link.pull_after(int(argument))
            _print_json({"event": "pull_armed", "port": link.port})
        except ValueError as exc:
            _print_json({"event": "error", "code": "no_card", "detail": str(exc)})
    elif command == "pull-on-next-verify":
        try:
            link.pull_on_next_verify()
            _print_json({"event": "pull_armed", "port": link.port})
        except ValueError as exc:
            _print_json({"event": "error", "code": "no_card", "detail": str(exc)})
    else:
        _print_json({"event": "error", "code": "bad_command", "detail": f"unknown: {command}"})
    return True
