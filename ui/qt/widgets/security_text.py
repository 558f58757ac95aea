"""Sentences for the people side of the desk: lock, second factor, approvals, alerts, audit.

``error_text`` knows the codes of the lock, the staff second factor and the approval inbox and
falls back to :func:`ui.qt.messages.error_text` for everything else.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.qt import messages


def _codes() -> dict[str, str]:
    return {
        "session_locked": QCoreApplication.translate(
            "SecurityMessages", "The screen is locked. Enter your password to go on."
        ),
        "second_factor_required": QCoreApplication.translate(
            "SecurityMessages", "Finish the second sign-in step first."
        ),
        "second_factor_not_pending": QCoreApplication.translate(
            "SecurityMessages", "No second sign-in step is due."
        ),
        "second_factor_unavailable": QCoreApplication.translate(
            "SecurityMessages",
            "The second sign-in step is not possible now (no card or photo on file, or central "
            "cannot be reached). Ask a supervisor.",
        ),
        "staff_card_mismatch": QCoreApplication.translate(
            "SecurityMessages", "This is not your staff card. Insert your own staff card."
        ),
        "staff_face_mismatch": QCoreApplication.translate(
            "SecurityMessages", "The face does not match your staff photo. Try again."
        ),
        "face_unavailable": QCoreApplication.translate(
            "SecurityMessages", "The face check is not available now. Try again later."
        ),
        "pin_blocked": QCoreApplication.translate(
            "SecurityMessages", "The card PIN is blocked. Ask a supervisor."
        ),
        "no_card": QCoreApplication.translate(
            "SecurityMessages", "There is no card in the reader. Insert your staff card."
        ),
        "offline_expired": QCoreApplication.translate(
            "SecurityMessages",
            "Central cannot be reached and your offline sign-in on this desk has expired.",
        ),
        "self_approval": QCoreApplication.translate(
            "SecurityMessages", "You made this case yourself, so you cannot approve it."
        ),
        "role_required": QCoreApplication.translate(
            "SecurityMessages", "This approval step needs another role than yours."
        ),
        "approver_repeated": QCoreApplication.translate(
            "SecurityMessages", "You already decided another step of this case."
        ),
        "approval_decided": QCoreApplication.translate(
            "SecurityMessages", "Somebody else has already decided this step."
        ),
        "approval_out_of_order": QCoreApplication.translate(
            "SecurityMessages", "An earlier step of this case must be decided first."
        ),
        "not_awaiting_approval": QCoreApplication.translate(
            "SecurityMessages", "This case is no longer waiting for approval."
        ),
        "case_not_found": QCoreApplication.translate(
            "SecurityMessages", "Central does not know this case."
        ),
        "unknown_reason": QCoreApplication.translate(
            "SecurityMessages", "This reason is not in the hall's list. Choose or type another."
        ),
        "reason_required": QCoreApplication.translate("SecurityMessages", "Give a reason."),
        "cosign_unverified": QCoreApplication.translate(
            "SecurityMessages", "The co-signature was not made at this desk. Co-sign again."
        ),
    }


def error_text(error: BaseException) -> str:
    """A sentence for a Desk error of the people side (else the general sentence)."""
    code = messages.error_code(error)
    if code == "staff_pin_wrong":
        tries = (getattr(error, "fields", None) or {}).get("tries_left")
        if tries is not None:
            return QCoreApplication.translate(
                "SecurityMessages", "Wrong PIN. {tries} tries left."
            ).format(tries=tries)
        return QCoreApplication.translate("SecurityMessages", "Wrong PIN.")
    text = _codes().get(code or "")
    return text if text is not None else messages.error_text(error)


def stage_status_text(status: str) -> str:
    """Name of an approval stage's status."""
    texts = {
        "waiting": QCoreApplication.translate("SecurityMessages", "waiting for an earlier step"),
        "pending": QCoreApplication.translate("SecurityMessages", "waiting for a decision"),
        "approved": QCoreApplication.translate("SecurityMessages", "approved"),
        "rejected": QCoreApplication.translate("SecurityMessages", "rejected"),
        "cancelled": QCoreApplication.translate("SecurityMessages", "cancelled"),
    }
    return texts.get(status, status)


def role_text(role: str) -> str:
    """Name of a staff role."""
    texts = {
        "clerk": QCoreApplication.translate("SecurityMessages", "clerk"),
        "supervisor": QCoreApplication.translate("SecurityMessages", "supervisor"),
        "admin": QCoreApplication.translate("SecurityMessages", "administrator"),
    }
    return texts.get(role, role)


def alert_kind_text(kind: str) -> str:
    """Name of an alert kind (``desktop.contract.ALERT_KINDS``)."""
    texts = {
        "account_locked": QCoreApplication.translate(
            "SecurityMessages", "Account locked after failed sign-ins"
        ),
        "failed_sign_ins": QCoreApplication.translate(
            "SecurityMessages", "Repeated failed sign-ins"
        ),
        "lookups_without_cases": QCoreApplication.translate(
            "SecurityMessages", "Far more citizen lookups than cases"
        ),
        "approval_outside_hours": QCoreApplication.translate(
            "SecurityMessages", "Approval outside opening hours"
        ),
        "audit_chain_broken": QCoreApplication.translate("SecurityMessages", "Audit chain broken"),
    }
    return texts.get(kind, kind)


def verify_problem_text(problem: str | None) -> str:
    """Why an audit chain failed to verify (``desktop.audit.VerifyResult.problem``)."""
    if not problem:
        return ""
    texts = {
        "missing": QCoreApplication.translate("SecurityMessages", "a record was deleted"),
        "broken_link": QCoreApplication.translate(
            "SecurityMessages", "a record does not follow the one before it"
        ),
        "bad_mac": QCoreApplication.translate("SecurityMessages", "a record was changed"),
        "unknown_algorithm": QCoreApplication.translate(
            "SecurityMessages", "a record names an unknown algorithm"
        ),
        "truncated": QCoreApplication.translate(
            "SecurityMessages", "records at the end are missing"
        ),
        "head_mismatch": QCoreApplication.translate(
            "SecurityMessages", "a record differs from the copy central holds"
        ),
        "wrong_key": QCoreApplication.translate(
            "SecurityMessages", "the desk's audit key does not match the chain"
        ),
    }
    return texts.get(problem, problem)
