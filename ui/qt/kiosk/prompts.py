"""What the kiosk says, on screen and aloud, for each step: one place for every prompt.

A :class:`Prompt` has a heading (the one thing to do, in very large type), a body (why, or what
happens next) and the sentence the voice speaks. Spoken sentences follow three rules that a test
checks: they hold no digit (the voice never reads a PIN, a number of tries or a case number:
the person behind may listen), no name and no ID number. Where the screen shows a number, the
voice says what to do instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication


@dataclass(frozen=True)
class Prompt:
    """One step's words: ``heading`` and ``body`` on screen, ``spoken`` for the voice."""

    code: str
    heading: str
    body: str
    spoken: str


def prompt(code: str, **values: object) -> Prompt:
    """The prompt for a step code, in the current language (``values`` fill the screen text)."""
    builder = _PROMPTS.get(code)
    if builder is None:
        raise KeyError(f"no kiosk prompt {code!r}")
    heading, body, spoken = builder()
    return Prompt(code, heading.format(**values), body.format(**values), spoken)


def challenge_prompt(action: str) -> Prompt:
    """The liveness challenge's instruction (``blink``, ``turn_left``, ``turn_right``)."""
    texts = {
        "blink": QCoreApplication.translate("KioskPrompts", "Please blink slowly, twice."),
        "turn_left": QCoreApplication.translate(
            "KioskPrompts", "Please turn your head slowly to your left, then back."
        ),
        "turn_right": QCoreApplication.translate(
            "KioskPrompts", "Please turn your head slowly to your right, then back."
        ),
    }
    text = texts.get(action) or QCoreApplication.translate(
        "KioskPrompts", "Please look at the camera and keep still."
    )
    return Prompt(
        "challenge",
        QCoreApplication.translate("KioskPrompts", "Look at the camera"),
        text,
        QCoreApplication.translate("KioskPrompts", "Please look at the camera.") + " " + text,
    )


_PROMPTS = {
    "starting": lambda: (
        QCoreApplication.translate("KioskPrompts", "Starting…"),
        QCoreApplication.translate(
            "KioskPrompts", "The kiosk is getting ready. Please wait a moment."
        ),
        "",
    ),
    "closed": lambda: (
        QCoreApplication.translate("KioskPrompts", "Not in service"),
        QCoreApplication.translate(
            "KioskPrompts", "This self-service kiosk is closed. Please go to a service window."
        ),
        "",
    ),
    "insert_card": lambda: (
        QCoreApplication.translate("KioskPrompts", "Please insert your social security card"),
        QCoreApplication.translate(
            "KioskPrompts",
            "Put the card into the reader below the screen, chip first and facing up.",
        ),
        QCoreApplication.translate(
            "KioskPrompts", "Welcome. Please insert your social security card into the reader."
        ),
    ),
    "reader_missing": lambda: (
        QCoreApplication.translate("KioskPrompts", "The card reader is not working"),
        QCoreApplication.translate(
            "KioskPrompts",
            "This kiosk cannot read cards right now. Please ask a staff member for help.",
        ),
        QCoreApplication.translate(
            "KioskPrompts", "The card reader is not working. Please ask a staff member for help."
        ),
    ),
    "reading": lambda: (
        QCoreApplication.translate("KioskPrompts", "Reading your card…"),
        QCoreApplication.translate("KioskPrompts", "Please leave the card in the reader."),
        QCoreApplication.translate(
            "KioskPrompts", "Reading your card. Please wait, and leave the card in the reader."
        ),
    ),
    "enter_pin": lambda: (
        QCoreApplication.translate("KioskPrompts", "Please enter your card PIN"),
        QCoreApplication.translate(
            "KioskPrompts", "Tries left: {tries}. The digits show as dots. Press Confirm when done."
        ),
        QCoreApplication.translate(
            "KioskPrompts", "Please enter your card PIN on the keypad, then press Confirm."
        ),
    ),
    "enter_pin_unknown": lambda: (
        QCoreApplication.translate("KioskPrompts", "Please enter your card PIN"),
        QCoreApplication.translate(
            "KioskPrompts", "The digits show as dots. Press Confirm when done."
        ),
        QCoreApplication.translate(
            "KioskPrompts", "Please enter your card PIN on the keypad, then press Confirm."
        ),
    ),
    "pin_wrong": lambda: (
        QCoreApplication.translate("KioskPrompts", "The PIN is not correct"),
        QCoreApplication.translate(
            "KioskPrompts", "Tries left: {tries}. Please enter it again carefully."
        ),
        QCoreApplication.translate(
            "KioskPrompts", "The PIN is not correct. Please enter it again carefully."
        ),
    ),
    "enter_pin_reader": lambda: (
        QCoreApplication.translate("KioskPrompts", "Please enter your PIN on the card reader"),
        QCoreApplication.translate(
            "KioskPrompts",
            "Tries left: {tries}. Use the keypad of the card reader, then press its OK key.",
        ),
        QCoreApplication.translate(
            "KioskPrompts",
            "Please enter your card PIN on the keypad of the card reader, then press its OK key.",
        ),
    ),
    "enter_pin_reader_unknown": lambda: (
        QCoreApplication.translate("KioskPrompts", "Please enter your PIN on the card reader"),
        QCoreApplication.translate(
            "KioskPrompts", "Use the keypad of the card reader, then press its OK key."
        ),
        QCoreApplication.translate(
            "KioskPrompts",
            "Please enter your card PIN on the keypad of the card reader, then press its OK key.",
        ),
    ),
    "pinpad_wrong": lambda: (
        QCoreApplication.translate("KioskPrompts", "The PIN is not correct"),
        QCoreApplication.translate(
            "KioskPrompts",
            "Tries left: {tries}. Please enter it again carefully on the card reader.",
        ),
        QCoreApplication.translate(
            "KioskPrompts",
            "The PIN is not correct. Please enter it again carefully on the card reader.",
        ),
    ),
    "pinpad_timeout": lambda: (
        QCoreApplication.translate("KioskPrompts", "The time for the PIN has run out"),
        QCoreApplication.translate(
            "KioskPrompts",
            "The card reader stopped waiting for the PIN. Touch Try again to enter it again.",
        ),
        QCoreApplication.translate(
            "KioskPrompts",
            "The time for the PIN has run out. Touch Try again to enter it again.",
        ),
    ),
    "pinpad_cancelled": lambda: (
        QCoreApplication.translate("KioskPrompts", "The PIN entry was cancelled"),
        QCoreApplication.translate(
            "KioskPrompts",
            "It was cancelled on the card reader. Touch Try again, or cancel and take the card.",
        ),
        QCoreApplication.translate(
            "KioskPrompts",
            "The PIN entry was cancelled. Touch Try again, or take your card.",
        ),
    ),
    "pinpad_bad_length": lambda: (
        QCoreApplication.translate("KioskPrompts", "The PIN is too short or too long"),
        QCoreApplication.translate(
            "KioskPrompts",
            "Enter the whole card PIN on the card reader. Touch Try again to start again.",
        ),
        QCoreApplication.translate(
            "KioskPrompts",
            "The PIN is too short or too long. Touch Try again to start again.",
        ),
    ),
    "pin_checking": lambda: (
        QCoreApplication.translate("KioskPrompts", "Checking your PIN…"),
        QCoreApplication.translate("KioskPrompts", "Please leave the card in the reader."),
        "",
    ),
    "pin_blocked": lambda: (
        QCoreApplication.translate("KioskPrompts", "Your card PIN is blocked"),
        QCoreApplication.translate(
            "KioskPrompts",
            "For your safety the card does not accept more tries. A staff member at a service "
            "window can help you reset the PIN.",
        ),
        QCoreApplication.translate(
            "KioskPrompts",
            "Your card PIN is blocked. Please ask a staff member at a service window for help.",
        ),
    ),
    "consent": lambda: (
        QCoreApplication.translate("KioskPrompts", "Face check"),
        QCoreApplication.translate(
            "KioskPrompts",
            "To make sure the card is yours, the kiosk compares your face with your card photo. "
            "The picture is not kept. You may say no; some services then need a service window.",
        ),
        QCoreApplication.translate(
            "KioskPrompts",
            "To make sure the card is yours, the kiosk compares your face with your card photo. "
            "The picture is not kept. Do you agree?",
        ),
    ),
    "face_still": lambda: (
        QCoreApplication.translate("KioskPrompts", "Look at the camera"),
        QCoreApplication.translate("KioskPrompts", "Please look at the camera and keep still."),
        QCoreApplication.translate("KioskPrompts", "Please look at the camera and keep still."),
    ),
    "liveness_retry": lambda: (
        QCoreApplication.translate("KioskPrompts", "Let us try once more"),
        QCoreApplication.translate(
            "KioskPrompts", "The camera could not see the movement asked for."
        ),
        QCoreApplication.translate(
            "KioskPrompts", "The camera could not see the movement. Let us try once more."
        ),
    ),
    "face_checking": lambda: (
        QCoreApplication.translate("KioskPrompts", "Checking…"),
        QCoreApplication.translate(
            "KioskPrompts", "Comparing your face with your card photo. Please wait."
        ),
        QCoreApplication.translate("KioskPrompts", "Checking. Please wait."),
    ),
    "face_retry": lambda: (
        QCoreApplication.translate("KioskPrompts", "Let us try once more"),
        QCoreApplication.translate(
            "KioskPrompts",
            "The face check did not recognise you. Please look straight at the camera.",
        ),
        QCoreApplication.translate(
            "KioskPrompts", "Let us try once more. Please look straight at the camera."
        ),
    ),
    "menu": lambda: (
        QCoreApplication.translate("KioskPrompts", "Please choose a service"),
        QCoreApplication.translate(
            "KioskPrompts", "Hello, {name}. Touch one of the large buttons."
        ),
        QCoreApplication.translate("KioskPrompts", "Please choose a service."),
    ),
    "records_loading": lambda: (
        QCoreApplication.translate("KioskPrompts", "Looking up your records…"),
        QCoreApplication.translate("KioskPrompts", "Please wait a moment."),
        QCoreApplication.translate("KioskPrompts", "Looking up your records. Please wait."),
    ),
    "records": lambda: (
        QCoreApplication.translate("KioskPrompts", "Your pension contribution records"),
        QCoreApplication.translate(
            "KioskPrompts", "{status} Insured since {since}; {months} months paid in total."
        ),
        QCoreApplication.translate(
            "KioskPrompts", "Here are your pension contribution records. You can print them."
        ),
    ),
    "question": lambda: (
        "{title}",
        QCoreApplication.translate("KioskPrompts", "Touch one answer."),
        QCoreApplication.translate("KioskPrompts", "Please choose one answer."),
    ),
    "submitting": lambda: (
        QCoreApplication.translate("KioskPrompts", "Sending your application…"),
        QCoreApplication.translate(
            "KioskPrompts", "Please wait a moment and leave the card in the reader."
        ),
        QCoreApplication.translate("KioskPrompts", "Please wait."),
    ),
    "issuing": lambda: (
        QCoreApplication.translate("KioskPrompts", "Preparing your document…"),
        QCoreApplication.translate(
            "KioskPrompts", "Please wait a moment and leave the card in the reader."
        ),
        QCoreApplication.translate("KioskPrompts", "Please wait."),
    ),
    "printing": lambda: (
        QCoreApplication.translate("KioskPrompts", "Printing…"),
        QCoreApplication.translate(
            "KioskPrompts", "Your printout comes out of the slot below the screen."
        ),
        QCoreApplication.translate("KioskPrompts", "Printing. Please wait."),
    ),
    "case_done": lambda: (
        QCoreApplication.translate("KioskPrompts", "Done: your application has been received"),
        QCoreApplication.translate("KioskPrompts", "Case number {local}. {printed}"),
        QCoreApplication.translate("KioskPrompts", "Your application has been received."),
    ),
    "document_done": lambda: (
        QCoreApplication.translate("KioskPrompts", "Your document is ready"),
        QCoreApplication.translate("KioskPrompts", "Document number {number}. {printed}"),
        QCoreApplication.translate("KioskPrompts", "Your document is ready."),
    ),
    "printed": lambda: (
        QCoreApplication.translate("KioskPrompts", "Please take your printout"),
        QCoreApplication.translate("KioskPrompts", "It is in the slot below the screen."),
        QCoreApplication.translate(
            "KioskPrompts", "Please take your printout from the slot below the screen."
        ),
    ),
    "no_printer": lambda: (
        QCoreApplication.translate("KioskPrompts", "This kiosk cannot print right now"),
        QCoreApplication.translate(
            "KioskPrompts",
            "Please ask a staff member at a service window; they can print it for you.",
        ),
        QCoreApplication.translate(
            "KioskPrompts", "This kiosk cannot print right now. Please ask a staff member for help."
        ),
    ),
    "needs_staff": lambda: (
        QCoreApplication.translate("KioskPrompts", "Please go to a service window"),
        "{reason}",
        QCoreApplication.translate(
            "KioskPrompts", "This cannot be done at the kiosk. Please go to a service window."
        ),
    ),
    "failed": lambda: (
        QCoreApplication.translate("KioskPrompts", "That did not work"),
        "{reason}",
        QCoreApplication.translate(
            "KioskPrompts", "That did not work. Please ask a staff member for help."
        ),
    ),
    "take_card": lambda: (
        QCoreApplication.translate("KioskPrompts", "Please take your card"),
        QCoreApplication.translate(
            "KioskPrompts", "Take the social security card out of the reader. Thank you."
        ),
        QCoreApplication.translate(
            "KioskPrompts", "Please remember to take your social security card."
        ),
    ),
    "goodbye": lambda: (
        QCoreApplication.translate("KioskPrompts", "Thank you"),
        QCoreApplication.translate("KioskPrompts", "Goodbye."),
        QCoreApplication.translate("KioskPrompts", "Thank you. Goodbye."),
    ),
    "card_removed": lambda: (
        QCoreApplication.translate("KioskPrompts", "Your card was taken out"),
        QCoreApplication.translate("KioskPrompts", "Everything shown has been cleared."),
        QCoreApplication.translate(
            "KioskPrompts", "Your card was taken out. Everything shown has been cleared."
        ),
    ),
    "still_there": lambda: (
        QCoreApplication.translate("KioskPrompts", "Are you still there?"),
        QCoreApplication.translate(
            "KioskPrompts",
            "Touch the button to continue. Otherwise the screen is cleared in {seconds} s.",
        ),
        QCoreApplication.translate(
            "KioskPrompts", "Are you still there? Please touch the screen to continue."
        ),
    ),
    "staff_called": lambda: (
        QCoreApplication.translate("KioskPrompts", "A staff member is on the way"),
        QCoreApplication.translate("KioskPrompts", "Please wait here."),
        QCoreApplication.translate(
            "KioskPrompts", "A staff member has been called. Please wait here."
        ),
    ),
    "staff_call_failed": lambda: (
        QCoreApplication.translate("KioskPrompts", "Please raise your hand"),
        QCoreApplication.translate(
            "KioskPrompts",
            "The call did not get through. Please wave to a staff member or go to a window.",
        ),
        QCoreApplication.translate(
            "KioskPrompts", "The call did not get through. Please wave to a staff member."
        ),
    ),
    "admin": lambda: (
        QCoreApplication.translate("KioskPrompts", "Staff: administration"),
        QCoreApplication.translate("KioskPrompts", "Sign in with an administrator account."),
        "",
    ),
}
