"""Every code that reaches the clerk, turned into a translated sentence, in one place.

The layers below the UI carry stable codes (``CardError.code``, card warnings, card status, PIN
results, face quality, outbox states, Desk and central error codes). This module is the only
place that turns them into words. A code it does not know still gives a sentence, with the code
in it, so that the clerk can quote it to the help desk.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)


def _card_errors() -> dict[str, str]:
    return {
        "no_reader": QCoreApplication.translate(
            "Messages", "No card reader found. Check that the reader is plugged in."
        ),
        "pcsc_unavailable": QCoreApplication.translate(
            "Messages",
            "The smart card service is not running. Restart the computer or call IT support.",
        ),
        "card_absent": QCoreApplication.translate(
            "Messages", "There is no card in the reader. Ask the citizen to insert the card."
        ),
        "card_removed": QCoreApplication.translate(
            "Messages", "The card was taken out of the reader. Ask the citizen to insert it again."
        ),
        "card_changed": QCoreApplication.translate(
            "Messages",
            "A different card is now in the reader. Serve the citizen again from the start.",
        ),
        "not_ssc": QCoreApplication.translate(
            "Messages", "This card is not a social security card."
        ),
        "bad_record": QCoreApplication.translate(
            "Messages", "The card's data cannot be read. The card may be damaged; offer a new card."
        ),
        "pin_blocked": QCoreApplication.translate(
            "Messages", "The card's PIN is blocked. Use the PIN reset service."
        ),
        "app_locked": QCoreApplication.translate(
            "Messages", "The card's social security application is locked. Offer a new card."
        ),
        "card_unresponsive": QCoreApplication.translate(
            "Messages", "The card does not answer. Ask the citizen to insert it again."
        ),
        "auth_failed": QCoreApplication.translate(
            "Messages", "The card could not be authenticated. Offer a new card."
        ),
        "card_busy": QCoreApplication.translate(
            "Messages", "Another program is using the card. Close it and insert the card again."
        ),
        "multiple_cards": QCoreApplication.translate(
            "Messages", "More than one card is in the readers. Leave only the citizen's card."
        ),
        "reader_error": QCoreApplication.translate(
            "Messages", "The card reader reported an error. Unplug it and plug it in again."
        ),
        "bad_response": QCoreApplication.translate(
            "Messages",
            "The card answered in an unexpected way. Ask the citizen to insert it again.",
        ),
        "no_card_read": QCoreApplication.translate(
            "Messages", "No card has been read yet. Ask the citizen to insert the card."
        ),
        "pin_format": QCoreApplication.translate("Messages", "The PIN must be 4 to 12 digits."),
        "no_key_service": QCoreApplication.translate(
            "Messages",
            "This third-generation card needs the card key service, which is not set up here.",
        ),
        "service_stopped": QCoreApplication.translate(
            "Messages", "The card service has stopped. Restart the application."
        ),
        "internal": QCoreApplication.translate(
            "Messages", "Internal error in the card software. The details are in the log."
        ),
        "reader_driver_missing": QCoreApplication.translate(
            "Messages",
            "A card reader is plugged in but has no driver. Install the driver, then plug the "
            "reader in again.",
        ),
        "pcsc_library_missing": QCoreApplication.translate(
            "Messages", "The smart card library cannot be loaded. Reinstall the application."
        ),
        "no_such_reader": QCoreApplication.translate(
            "Messages", "The chosen reader holds no social security card."
        ),
        "pinpad_timeout": QCoreApplication.translate(
            "Messages", "No PIN was entered in time. Please try again."
        ),
        "pinpad_cancelled": QCoreApplication.translate(
            "Messages", "PIN entry was cancelled on the reader's keypad."
        ),
        "pinpad_bad_length": QCoreApplication.translate(
            "Messages", "The PIN has the wrong number of digits. Enter 6 digits."
        ),
        "pinpad_error": QCoreApplication.translate(
            "Messages",
            "The reader's keypad reported an error. Try again or use the on-screen keypad.",
        ),
        "pinpad_required": QCoreApplication.translate(
            "Messages", "This reader takes the PIN only on its own keypad."
        ),
        "no_pinpad": QCoreApplication.translate(
            "Messages", "This reader has no PIN keypad; use the on-screen keypad."
        ),
        "driver_unavailable": QCoreApplication.translate(
            "Messages",
            "The card reader's interface library (SSCardDriver) cannot be loaded. "
            "Check the setting or reinstall it.",
        ),
        "driver_error": QCoreApplication.translate(
            "Messages", "The card reader's interface library reported an error."
        ),
    }


def card_error_known(code: str) -> bool:
    """True when ``code`` has a sentence of its own (not the generic one with the code)."""
    return code in _card_errors() or code.startswith("sw_")


def health_text(code: str) -> str:
    """The PC/SC health code of ``card doctor`` (``devices.card.health``) as a sentence."""
    if code == "ok":
        return QCoreApplication.translate("Messages", "The smart card service and reader work.")
    if code == "pcsc_error":
        return QCoreApplication.translate(
            "Messages",
            "The smart card service reported an error. Restart it, or call IT support.",
        )
    return card_error_text(code)


def card_ignored_text(reader: str) -> str:
    """The quiet note about a card that is not a social security card."""
    return QCoreApplication.translate(
        "Messages", "The card in {reader} is not a social security card; it is ignored."
    ).format(reader=reader)


def card_swapped_text() -> str:
    """A card exchanged faster than the reader noticed: the citizen was cleared."""
    return QCoreApplication.translate(
        "Messages", "The card in the reader was exchanged. Start again with this card."
    )


def multiple_cards_text() -> str:
    """The reader picker's question."""
    return QCoreApplication.translate(
        "Messages", "Social security cards are in several readers. Choose the one to serve."
    )


def pinpad_prompt_text() -> str:
    """What the citizen does while the reader's keypad waits."""
    return QCoreApplication.translate(
        "Messages", "Enter your PIN on the reader's keypad and press OK."
    )


def card_error_text(code: str) -> str:
    """Sentence for a card or reader error code."""
    text = _card_errors().get(code)
    if text is not None:
        return text
    if code.startswith("sw_"):
        return QCoreApplication.translate(
            "Messages", "The card refused the command (status {status}). Try inserting it again."
        ).format(status=code[3:].upper())
    return QCoreApplication.translate("Messages", "Card problem (code {code}).").format(code=code)


def card_warning_text(code: str) -> str:
    """Sentence for a warning about the card's data."""
    texts = {
        "ssn_check_digit": QCoreApplication.translate(
            "Messages",
            "The ID number's check digit is wrong. Check the citizen's resident ID card.",
        ),
        "ssn_format": QCoreApplication.translate(
            "Messages",
            "The ID number is not in the citizen ID format. Check the citizen's identity document.",
        ),
        "ssn_15_digits": QCoreApplication.translate(
            "Messages", "The card holds an old 15-digit ID number, which has no check digit."
        ),
        "birth_date_mismatch": QCoreApplication.translate(
            "Messages",
            "The birth date on the card does not match the ID number. "
            "Check the citizen's resident ID card.",
        ),
        "sex_mismatch": QCoreApplication.translate(
            "Messages",
            "The sex on the card does not match the ID number. Check the resident ID card.",
        ),
        "card_expired": QCoreApplication.translate("Messages", "The card has expired."),
        "issue_after_expiry": QCoreApplication.translate(
            "Messages",
            "The card's issue date is later than its expiry date. Check the card.",
        ),
        "sex_not_stated": QCoreApplication.translate(
            "Messages", "The card does not state the holder's sex."
        ),
        "sex_invalid": QCoreApplication.translate(
            "Messages", "The sex on the card is not a valid code."
        ),
        "field_too_long": QCoreApplication.translate(
            "Messages",
            "Some data on the card is longer than the card standard allows. Check the card.",
        ),
        "name_mismatch": QCoreApplication.translate(
            "Messages", "The name on the card differs from central's record."
        ),
        "identity_offline": QCoreApplication.translate(
            "Messages", "Central could not be reached: the identity is checked offline."
        ),
    }
    text = texts.get(code)
    if text is not None:
        return text
    return QCoreApplication.translate("Messages", "Card data warning (code {code}).").format(
        code=code
    )


def card_status_text(status: str | None) -> str:
    """Card status from central, as a sentence."""
    texts = {
        "normal": QCoreApplication.translate("Messages", "Card in normal use"),
        "lost": QCoreApplication.translate(
            "Messages", "This card has been reported lost. It cannot be used for services."
        ),
        "cancelled": QCoreApplication.translate(
            "Messages", "This card has been cancelled. It cannot be used for services."
        ),
        "replaced": QCoreApplication.translate(
            "Messages", "This card has been replaced by a newer card. Ask for the new card."
        ),
    }
    if status is None:
        return QCoreApplication.translate("Messages", "Card status unknown (checked offline)")
    return texts.get(status) or QCoreApplication.translate(
        "Messages", "Card status: {status}"
    ).format(status=status)


def reader_state_text(state: str) -> str:
    """The reader's state for the status bar."""
    texts = {
        "ready": QCoreApplication.translate("Messages", "Reader ready"),
        "no_reader": QCoreApplication.translate("Messages", "No card reader"),
        "pcsc_unavailable": QCoreApplication.translate("Messages", "Smart card service stopped"),
        "reader_driver_missing": QCoreApplication.translate(
            "Messages", "Card reader without driver"
        ),
        "driver_unavailable": QCoreApplication.translate(
            "Messages", "Card reader interface library missing"
        ),
    }
    return texts.get(state) or QCoreApplication.translate("Messages", "Reader: {state}").format(
        state=state
    )


def tries_left_text(tries: int | None) -> str:
    """How many PIN tries the card has left, shown before the citizen types."""
    if tries is None:
        return QCoreApplication.translate("Messages", "Tries left: unknown")
    return QCoreApplication.translate("Messages", "Tries left: {count}").format(count=tries)


def pin_result_text(status: str, tries_left: int | None) -> str:
    """The outcome of VERIFY."""
    if status == "ok":
        return QCoreApplication.translate("Messages", "PIN correct.")
    if status == "wrong":
        if tries_left is None:
            return QCoreApplication.translate(
                "Messages", "Wrong PIN. The card did not say how many tries are left."
            )
        return QCoreApplication.translate("Messages", "Wrong PIN. Tries left: {count}.").format(
            count=tries_left
        )
    if status == "blocked":
        return QCoreApplication.translate(
            "Messages",
            "The PIN is now blocked. The citizen can unblock it with the PIN reset service.",
        )
    if status == "card_removed":
        return QCoreApplication.translate(
            "Messages",
            "The card was taken out during the PIN check. This does not count as a wrong PIN; "
            "insert the card and try again.",
        )
    return QCoreApplication.translate(
        "Messages", "The card gave no clear answer to the PIN check. Try again."
    )


def face_quality_text(quality: str) -> str:
    """Why a face check could not be judged (or how it was judged)."""
    texts = {
        "ok": QCoreApplication.translate("Messages", "Image quality good"),
        "no_face": QCoreApplication.translate(
            "Messages", "No face found in the picture. Ask the citizen to look at the camera."
        ),
        "unreadable": QCoreApplication.translate(
            "Messages", "The picture could not be read. Take it again."
        ),
        "reference_no_face": QCoreApplication.translate(
            "Messages", "The card photo on record shows no usable face. Use the alternative check."
        ),
        "reference_unreadable": QCoreApplication.translate(
            "Messages", "The card photo on record cannot be read. Use the alternative check."
        ),
        "multiple_faces": QCoreApplication.translate(
            "Messages", "More than one face in the picture; the largest one was compared."
        ),
    }
    return texts.get(quality) or QCoreApplication.translate(
        "Messages", "Face check note (code {code})."
    ).format(code=quality)


def outbox_state_text(state: str) -> str:
    """Name of an outbox state."""
    texts = {
        "pending": QCoreApplication.translate("Messages", "waiting"),
        "sending": QCoreApplication.translate("Messages", "sending"),
        "sent": QCoreApplication.translate("Messages", "sent"),
        "rejected": QCoreApplication.translate("Messages", "rejected"),
        "withdrawn": QCoreApplication.translate("Messages", "withdrawn"),
    }
    return texts.get(state, state)


def _desk_errors() -> dict[str, str]:
    return {
        # Sign-in and central.
        "sign_in_failed": QCoreApplication.translate("Messages", "Wrong user name or password."),
        "bad_credentials": QCoreApplication.translate("Messages", "Wrong user name or password."),
        "session_expired": QCoreApplication.translate(
            "Messages", "Your sign-in has expired. Sign in again."
        ),
        "central_error": QCoreApplication.translate(
            "Messages",
            "Central could not handle the request. Try again; if it persists, call IT support.",
        ),
        "card_error": QCoreApplication.translate(
            "Messages", "The card could not be read. Ask the citizen to insert it again."
        ),
        "session_ended": QCoreApplication.translate(
            "Messages", "The citizen's session has ended. Ask the citizen to insert the card."
        ),
        "cosign_required": QCoreApplication.translate(
            "Messages", "This case needs a supervisor's co-signature."
        ),
        "cosign_not_supervisor": QCoreApplication.translate(
            "Messages", "This account is not a supervisor's and cannot co-sign."
        ),
        "cosign_self": QCoreApplication.translate(
            "Messages", "A supervisor cannot co-sign a case they made themselves."
        ),
        "outbox_error": QCoreApplication.translate(
            "Messages", "The case could not be stored on this desk. Call IT support."
        ),
        "desk_stopped": QCoreApplication.translate("Messages", "The desk is shutting down."),
        "account_locked": QCoreApplication.translate(
            "Messages", "This account is locked after too many failed sign-ins. Ask a supervisor."
        ),
        "unauthorized": QCoreApplication.translate(
            "Messages", "Central did not accept the sign-in. Sign in again."
        ),
        "forbidden": QCoreApplication.translate(
            "Messages", "Your account may not do this. Ask a supervisor."
        ),
        "central_unavailable": QCoreApplication.translate(
            "Messages", "Central cannot be reached. Check the network or try again later."
        ),
        "unavailable": QCoreApplication.translate(
            "Messages", "Central cannot be reached. Check the network or try again later."
        ),
        "offline_sign_in_unavailable": QCoreApplication.translate(
            "Messages",
            "Central cannot be reached and this account has not signed in here recently, "
            "so it cannot sign in offline.",
        ),
        "bad_response": QCoreApplication.translate(
            "Messages", "Central sent an answer the desk cannot understand. Call IT support."
        ),
        "tls_error": QCoreApplication.translate(
            "Messages", "The connection to central is not trusted (certificate problem)."
        ),
        "not_signed_in": QCoreApplication.translate("Messages", "Sign in first."),
        # The citizen and the card.
        "no_card": QCoreApplication.translate(
            "Messages", "There is no card in the reader. Ask the citizen to insert the card."
        ),
        "no_citizen": QCoreApplication.translate(
            "Messages", "No citizen is being served. Ask the citizen to insert the card."
        ),
        "card_lost": QCoreApplication.translate(
            "Messages", "This card has been reported lost. It cannot be used for services."
        ),
        "card_cancelled": QCoreApplication.translate(
            "Messages", "This card has been cancelled. It cannot be used for services."
        ),
        "card_replaced": QCoreApplication.translate(
            "Messages", "This card has been replaced by a newer card. Ask for the new card."
        ),
        "person_not_found": QCoreApplication.translate(
            "Messages", "Central has no record of this card. Check the card and the ID number."
        ),
        "card_mismatch": QCoreApplication.translate(
            "Messages", "Central's record of this card does not match the card."
        ),
        # Identity checks and the case.
        "pin_required": QCoreApplication.translate(
            "Messages", "This service needs the card PIN. Ask the citizen to enter it first."
        ),
        "face_required": QCoreApplication.translate(
            "Messages", "This service needs a face check (or the alternative check) first."
        ),
        "face_unavailable": QCoreApplication.translate(
            "Messages", "The face check is not available now. Use the alternative check."
        ),
        "face_models_missing": QCoreApplication.translate(
            "Messages", "The face check software is not installed completely. Call IT support."
        ),
        "no_reference": QCoreApplication.translate(
            "Messages", "Central has no card photo for this citizen. Use the alternative check."
        ),
        "unknown_service": QCoreApplication.translate(
            "Messages", "This service is not in the catalogue any more. Choose another one."
        ),
        "form_invalid": QCoreApplication.translate(
            "Messages", "Some fields are missing or wrong. See the notes next to the fields."
        ),
        "validation_failed": QCoreApplication.translate(
            "Messages", "Some fields are missing or wrong. See the notes next to the fields."
        ),
        "outbox_full": QCoreApplication.translate(
            "Messages",
            "Too many cases are waiting to be sent. New cases are refused until the network "
            "is back and the queue has been sent.",
        ),
        "approval_required": QCoreApplication.translate(
            "Messages", "This case needs a supervisor's co-signature."
        ),
        "idempotency_conflict": QCoreApplication.translate(
            "Messages", "Central already has a different case with this key. Call IT support."
        ),
        "services_unavailable": QCoreApplication.translate(
            "Messages", "The service catalogue could not be loaded. Try again later."
        ),
        # The outbox: why a case waits or was refused (OutboxEntry.error_code).
        "outbox_frozen": QCoreApplication.translate(
            "Messages",
            "New cases are refused: too many cases on this desk have not reached central. "
            "Check the network and use 'Send now'.",
        ),
        "network_error": QCoreApplication.translate(
            "Messages", "Central could not be reached; the desk will try again."
        ),
        "timeout": QCoreApplication.translate(
            "Messages", "Central did not answer in time; the desk will try again."
        ),
        "fault_injected": QCoreApplication.translate(
            "Messages", "The training central simulated a failure; the desk will try again."
        ),
        "rate_limited": QCoreApplication.translate(
            "Messages", "Central asked the desk to wait; the desk will try again later."
        ),
        "unexpected_status": QCoreApplication.translate(
            "Messages", "Central gave an unexpected answer; the desk will try again."
        ),
        "workstation_auth_failed": QCoreApplication.translate(
            "Messages",
            "Central did not accept this workstation's sign-in; the case waits. Call IT support.",
        ),
        "internal_error": QCoreApplication.translate(
            "Messages", "Central had an internal error; the desk will try again."
        ),
        "case_unreadable": QCoreApplication.translate(
            "Messages", "The stored case cannot be opened on this desk. Call IT support."
        ),
        "case_invalid": QCoreApplication.translate(
            "Messages", "Central found the case incomplete or inconsistent. Correct or withdraw it."
        ),
        "identity_insufficient": QCoreApplication.translate(
            "Messages", "Central needs a stronger identity check for this service."
        ),
        "cosign_invalid": QCoreApplication.translate(
            "Messages", "Central did not accept the supervisor's co-signature."
        ),
        "workstation_mismatch": QCoreApplication.translate(
            "Messages", "The case names another workstation than the one that sent it."
        ),
        "answer_mismatch": QCoreApplication.translate(
            "Messages",
            "Central's answer was about another case; the desk will send this one again.",
        ),
        "answer_too_large": QCoreApplication.translate(
            "Messages", "Central's answer was far too large and was refused; the desk will retry."
        ),
        # The desk's own stores: what an IT admin must fix before the desk can work.
        "outbox_missing": QCoreApplication.translate(
            "Messages",
            "The desk's queue of cases is missing although its key exists, so cases may have "
            "been lost. Nothing new is accepted. Call IT support to restore the queue.",
        ),
        "outbox_damaged": QCoreApplication.translate(
            "Messages",
            "The desk's queue of cases is damaged and cannot be read. Call IT support.",
        ),
        "outbox_empty": QCoreApplication.translate(
            "Messages", "The desk's queue of cases is empty where cases were expected."
        ),
        "data_key_missing": QCoreApplication.translate(
            "Messages",
            "The key that opens this desk's stored cases is not here (was the data folder "
            "moved?). Call IT support.",
        ),
        "data_key_mismatch": QCoreApplication.translate(
            "Messages",
            "The key found does not open this desk's stored cases. Call IT support.",
        ),
        "audit_damaged": QCoreApplication.translate(
            "Messages", "The desk's audit log is damaged. Call IT support."
        ),
        "audit_key_mismatch": QCoreApplication.translate(
            "Messages", "The key found does not match this desk's audit log. Call IT support."
        ),
        "audit_key_missing": QCoreApplication.translate(
            "Messages",
            "The key of this desk's audit log is missing. Call IT support.",
        ),
        "audit_stopped": QCoreApplication.translate(
            "Messages",
            "The audit log is closed; the desk is stopping.",
        ),
        "audit_write_failed": QCoreApplication.translate(
            "Messages",
            "The action could not be written to the audit log, so it was not done. "
            "Call IT support.",
        ),
        "no_audit_chain": QCoreApplication.translate(
            "Messages",
            "This desk has no audit log yet.",
        ),
        "unknown_algorithm": QCoreApplication.translate(
            "Messages",
            "The audit log uses a method this version does not know. Call IT support.",
        ),
        "bad_withdraw_reason": QCoreApplication.translate(
            "Messages",
            "Choose a reason for withdrawing the case.",
        ),
        "case_body_gone": QCoreApplication.translate(
            "Messages",
            "The case's content is no longer stored on this desk.",
        ),
        "export_file_invalid": QCoreApplication.translate(
            "Messages",
            "The file is not a case export of Hall Counter, or it is damaged.",
        ),
        "export_kind_mismatch": QCoreApplication.translate(
            "Messages",
            "Training cases and real cases do not mix: this file comes from the other kind of "
            "desk and is not imported.",
        ),
        "file_unreadable": QCoreApplication.translate(
            "Messages",
            "The file could not be read.",
        ),
        "file_unwritable": QCoreApplication.translate(
            "Messages",
            "The file could not be written. Choose another place.",
        ),
        "key_dir_inside_data_dir": QCoreApplication.translate(
            "Messages",
            "The key folder must not be inside the data folder. Call IT support.",
        ),
        "key_file_insecure": QCoreApplication.translate(
            "Messages",
            "Other users can read the desk's key file. Call IT support.",
        ),
        "key_file_unreadable": QCoreApplication.translate(
            "Messages",
            "The desk's key file cannot be read. Call IT support.",
        ),
        "no_outbox": QCoreApplication.translate(
            "Messages",
            "This desk has no queue of cases yet.",
        ),
        "no_such_case": QCoreApplication.translate(
            "Messages",
            "That case is not in this desk's queue.",
        ),
        "not_correctable": QCoreApplication.translate(
            "Messages",
            "This case can no longer be corrected.",
        ),
        "outbox_in_use": QCoreApplication.translate(
            "Messages",
            "Another Hall Counter program is using this desk's queue. Close it first.",
        ),
        "outbox_stopped": QCoreApplication.translate(
            "Messages",
            "The queue of cases is closed; the desk is stopping.",
        ),
        "passphrase_too_short": QCoreApplication.translate(
            "Messages",
            "The passphrase is too short.",
        ),
        "passphrase_wrong": QCoreApplication.translate(
            "Messages",
            "The passphrase is wrong.",
        ),
        "readonly": QCoreApplication.translate(
            "Messages",
            "This desk's queue is read-only here.",
        ),
        "unknown_cipher": QCoreApplication.translate(
            "Messages",
            "The stored cases use an encryption this version does not know. Call IT support.",
        ),
        "unknown_crypto_suite": QCoreApplication.translate(
            "Messages",
            "The configured encryption suite is unknown. Call IT support.",
        ),
        # The electronic social security card.
        "ecard_payload_invalid": QCoreApplication.translate(
            "Messages", "The scanned e-card code was not recognised. Scan it again."
        ),
        "ecard_rejected": QCoreApplication.translate(
            "Messages",
            "The e-card code is invalid or expired. Ask the citizen to refresh it and scan again.",
        ),
        "ecard_expired": QCoreApplication.translate(
            "Messages", "The e-card code has expired. Ask the citizen to refresh it and scan again."
        ),
        "ecard_unknown": QCoreApplication.translate(
            "Messages", "Central does not know this e-card code. Ask the citizen to refresh it."
        ),
        "ecard_used": QCoreApplication.translate(
            "Messages", "This e-card code was used already. Ask the citizen to refresh it."
        ),
        "ecard_needs_central": QCoreApplication.translate(
            "Messages",
            "The e-card can only be checked while central is reachable. Use the physical card.",
        ),
        "ecard_incomplete": QCoreApplication.translate(
            "Messages",
            "The e-card gave no card number, so no case can be made. "
            "Ask the citizen for the physical card.",
        ),
        "pin_not_applicable": QCoreApplication.translate(
            "Messages", "No card PIN is needed: the citizen showed the e-card."
        ),
        "pin_mismatch": QCoreApplication.translate(
            "Messages", "The two new PINs are not the same. Enter them again."
        ),
        "card_swapped": QCoreApplication.translate(
            "Messages", "The card in the reader was exchanged. Start again with this card."
        ),
    }


def outbox_error_text(code: str) -> str:
    """Why a queued case waits or was refused (an outbox ``error_code``)."""
    if code == "form_invalid":  # the Desk's sentence points at notes the outbox view lacks
        return QCoreApplication.translate(
            "Messages", "Central found fields missing or wrong. Correct or withdraw the case."
        )
    known = _desk_errors().get(code)
    if known is not None:
        return known
    return QCoreApplication.translate("Messages", "The case was not sent (code {code}).").format(
        code=code
    )


def withdraw_reason_text(reason: str) -> str:
    """Name of a withdraw reason code (``desktop.outbox.WITHDRAW_REASONS``)."""
    texts = {
        "citizen_request": QCoreApplication.translate("Messages", "The citizen asked for it"),
        "duplicate": QCoreApplication.translate("Messages", "Duplicate of another case"),
        "entered_in_error": QCoreApplication.translate("Messages", "Entered in error"),
        "cannot_correct": QCoreApplication.translate("Messages", "Cannot be corrected"),
        "other": QCoreApplication.translate("Messages", "Other reason"),
    }
    return texts.get(reason, reason)


def approval_text(when: str) -> str:
    """Why a case needs a supervisor (an approval rule's ``when`` code)."""
    texts = {
        "face_override": QCoreApplication.translate(
            "Messages", "the face check did not match and the clerk goes ahead"
        ),
        "face_declined": QCoreApplication.translate(
            "Messages", "the citizen declined the face check, or it was not possible"
        ),
        "offline_identity": QCoreApplication.translate(
            "Messages", "the identity was checked offline"
        ),
        "pin_reset": QCoreApplication.translate("Messages", "the card PIN is reset"),
        "amount_over": QCoreApplication.translate(
            "Messages", "the amount is over the limit for this service"
        ),
    }
    return texts.get(when) or when


def error_code(error: BaseException) -> str | None:
    """The stable code an exception from the Desk carries, if any."""
    code = getattr(error, "code", None)
    return str(code) if code else None


def error_text(error: BaseException) -> str:
    """A sentence for an exception that came back from a Desk call.

    Card codes, Desk codes and central's error codes all map here. Anything else is logged and
    shown as a generic sentence; details stay in the log.
    """
    code = error_code(error)
    fields = getattr(error, "fields", None) or {}
    card_code = fields.get("card_code")
    if code == "card_error" and card_code:
        return card_error_text(str(card_code))
    if code == "ecard_rejected":
        # Central's reason (expired, unknown, used) when there is a sentence for it.
        reason = str(fields.get("reason") or getattr(error, "reason", None) or "")
        if reason.startswith("ecard_") and reason in _desk_errors():
            return _desk_errors()[reason]
    if code:
        # Card and central codes share a few names (bad_response); the error's family decides.
        if "Card" in type(error).__name__:
            text = _card_errors().get(code) or _desk_errors().get(code)
        else:
            text = _desk_errors().get(code) or _card_errors().get(code)
        if text is not None:
            return text
        # Central rejected something with its own code and a message meant for people.
        message = getattr(error, "message", None)
        if isinstance(message, str) and message:
            return QCoreApplication.translate("Messages", "{message} (code {code})").format(
                message=message, code=code
            )
        if code.startswith("sw_"):
            return card_error_text(code)
        return QCoreApplication.translate("Messages", "The operation failed (code {code}).").format(
            code=code
        )
    name = type(error).__name__
    if name in ("CentralUnavailableError", "ConnectionError", "TimeoutError"):
        return _desk_errors()["central_unavailable"]
    if name == "CentralAuthError":
        return _desk_errors()["bad_credentials"]
    log.error("unexpected %s from a desk call", name, exc_info=error)
    return QCoreApplication.translate(
        "Messages", "Something went wrong ({kind}). The details are in the log."
    ).format(kind=name)


def rejection_text(reason: str) -> str:
    """Why central rejected a queued case; ``reason`` is a code or central's own message."""
    known = _desk_errors().get(reason)
    if known is not None:
        return known
    return QCoreApplication.translate("Messages", "Central rejected the case: {reason}").format(
        reason=reason
    )


def schema_error_text(kind: str, value: object = None) -> str:
    """Validation note shown next to a form field (``kind`` is the JSON Schema keyword)."""
    if kind == "required":
        return QCoreApplication.translate("Messages", "Required.")
    if kind == "minimum":
        return QCoreApplication.translate("Messages", "Must be at least {limit}.").format(
            limit=value
        )
    if kind == "exclusiveMinimum":
        return QCoreApplication.translate("Messages", "Must be more than {limit}.").format(
            limit=value
        )
    if kind == "maximum":
        return QCoreApplication.translate("Messages", "Must be at most {limit}.").format(
            limit=value
        )
    if kind == "exclusiveMaximum":
        return QCoreApplication.translate("Messages", "Must be less than {limit}.").format(
            limit=value
        )
    if kind == "minLength":
        return QCoreApplication.translate("Messages", "At least {limit} characters.").format(
            limit=value
        )
    if kind == "maxLength":
        return QCoreApplication.translate("Messages", "At most {limit} characters.").format(
            limit=value
        )
    if kind == "pattern":
        return QCoreApplication.translate("Messages", "Not in the expected format.")
    if kind == "format":
        return QCoreApplication.translate("Messages", "Not a valid {format}.").format(format=value)
    if kind == "integer":
        return QCoreApplication.translate("Messages", "Enter a whole number.")
    if kind == "number":
        return QCoreApplication.translate("Messages", "Enter a number.")
    if kind == "enum":
        return QCoreApplication.translate("Messages", "Choose one of the options.")
    if kind == "type":
        return QCoreApplication.translate("Messages", "Not the expected kind of value.")
    if kind == "not_allowed":
        return QCoreApplication.translate("Messages", "This field does not belong to the form.")
    return QCoreApplication.translate("Messages", "Not valid.")
