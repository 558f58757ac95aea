"""Exception types of the application core that carry a stable code for the UI.

The code is what the interface translates into a sentence (``ui/qt`` looks it up in its
catalogue); ``str(error)`` is an English detail for the log and never holds personal data.
"""

from __future__ import annotations

from typing import Any


class DeskError(Exception):
    """A desk operation that cannot go on, with a stable ``code``.

    Codes used by :mod:`desktop.desk`:

    ``not_signed_in``, ``sign_in_failed``, ``session_expired``, ``central_unavailable``,
    ``central_error``, ``no_card``, ``card_error``, ``card_changed``, ``card_lost``,
    ``card_cancelled``, ``card_replaced``, ``person_not_found``, ``no_citizen``,
    ``session_ended``, ``unknown_service``, ``form_invalid`` (``fields`` names the fields),
    ``pin_required``, ``face_required``, ``cosign_required``, ``face_unavailable``,
    ``outbox_error``, ``desk_stopped``.
    """

    def __init__(self, code: str, detail: str = "", *, fields: dict[str, Any] | None = None):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail or code
        self.fields: dict[str, Any] = dict(fields or {})


class OutboxError(Exception):
    """The outbox cannot store or read a case (``code`` e.g. ``data_key_mismatch``)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail or code
