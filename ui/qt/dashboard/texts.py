"""Words for the dashboard's codes and figures: stage and department names, durations, desk states.

All in the ``DashboardWindow`` translation context, so the dashboard's catalogue entries stay
together. Durations are rounded for people (whole minutes, hours, days); the exact seconds are
in the CSV export.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QCoreApplication, QLocale

from desktop.contract import DeskStatus, Service
from ui.qt.i18n import current_language, localized


def stage_name(stage: str | None) -> str:
    """A stage's name: the supervisor's approval, intake, or a department's display name."""
    names = {
        "approval": QCoreApplication.translate("DashboardWindow", "Supervisor approval"),
        "intake": QCoreApplication.translate("DashboardWindow", "Intake at the hall"),
        "employment_center": QCoreApplication.translate(
            "DashboardWindow", "Employment service center"
        ),
        "social_insurance": QCoreApplication.translate(
            "DashboardWindow", "Social insurance agency"
        ),
        "finance": QCoreApplication.translate("DashboardWindow", "Finance bureau"),
    }
    if not stage:
        return ""
    return names.get(stage, stage)


def sentence_gap() -> str:
    """What separates two sentences: a space in English, nothing in Chinese."""
    return "" if current_language().startswith("zh") else " "


def duration_text(seconds: float | None) -> str:
    """A duration for people: "45 s", "12 min", "6 h 05 min", "2 d 3 h"; "—" when unknown."""
    if seconds is None:
        return "—"
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return QCoreApplication.translate("DashboardWindow", "{seconds} s").format(
            seconds=round(seconds)
        )
    minutes = round(seconds / 60)
    if minutes < 60:
        return QCoreApplication.translate("DashboardWindow", "{minutes} min").format(
            minutes=minutes
        )
    if minutes < 48 * 60:
        return QCoreApplication.translate("DashboardWindow", "{hours} h {minutes} min").format(
            hours=minutes // 60, minutes=f"{minutes % 60:02d}"
        )
    hours = round(seconds / 3600)
    return QCoreApplication.translate("DashboardWindow", "{days} d {hours} h").format(
        days=hours // 24, hours=hours % 24
    )


def count_text(value: int | None) -> str:
    """A count with the current language's digit grouping."""
    if value is None:
        return "—"
    return QLocale(current_language()).toString(int(value))


def frozen_reason_text(reason: str | None) -> str:
    """Why a desk refuses new cases (the outbox freeze rule's code)."""
    texts = {
        "unsent_count": QCoreApplication.translate("DashboardWindow", "too many unsent cases"),
        "unsent_age": QCoreApplication.translate("DashboardWindow", "unsent cases too old"),
    }
    if not reason:
        return QCoreApplication.translate("DashboardWindow", "reason not given")
    return texts.get(reason, reason)


def desk_state_text(desk: DeskStatus, *, detailed: bool = True) -> str:
    """A desk's state in words: "Online", or what is wrong ("FROZEN (…); OFFLINE (…)").

    ``detailed`` adds since when an offline desk has been silent.
    """
    parts = []
    if desk.frozen:
        parts.append(
            QCoreApplication.translate("DashboardWindow", "FROZEN ({reason})").format(
                reason=frozen_reason_text(desk.frozen_reason)
            )
        )
    if desk.offline:
        if desk.seconds_since_contact is None:
            parts.append(QCoreApplication.translate("DashboardWindow", "OFFLINE (never seen)"))
        elif detailed:
            parts.append(
                QCoreApplication.translate(
                    "DashboardWindow", "OFFLINE (last seen {ago} ago)"
                ).format(ago=duration_text(desk.seconds_since_contact))
            )
        else:
            parts.append(QCoreApplication.translate("DashboardWindow", "OFFLINE"))
    if not parts:
        return QCoreApplication.translate("DashboardWindow", "Online")
    return QCoreApplication.translate("DashboardWindow", "; ").join(parts)


def desk_name(desk: DeskStatus) -> str:
    """A desk as the hall knows it: its name and id ("3号窗口 W03")."""
    return f"{desk.name} {desk.workstation_id}".strip() if desk.name else desk.workstation_id


class ServiceNames:
    """Display names of the catalogue's services, by code (the code itself when unknown)."""

    def __init__(self, services: Iterable[Service] = ()) -> None:
        self._services: Mapping[str, Service] = {s.code: s for s in services}

    def codes(self) -> list[str]:
        """The catalogue's service codes, in its order."""
        return list(self._services)

    def __call__(self, code: str | None) -> str:
        if not code:
            return ""
        service = self._services.get(code)
        return localized(service.name) if service is not None else code
