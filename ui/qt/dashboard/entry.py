"""The clerk window's way into the hall dashboard, shown to supervisors and admins only."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QPushButton, QWidget

from desktop.dashboard import may_see_dashboard


class DashboardButtonWidget(QPushButton):
    """ "Dashboard / 大厅看板": hidden until a supervisor or an admin signs in.

    Hiding it is a courtesy; the dashboard's client refuses other roles anyway
    (``desktop.dashboard``), and so does central.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardButton")
        self.setVisible(False)
        self.retranslate()

    def show_for(self, roles: Iterable[str]) -> None:
        """Show the button when these roles may see the dashboard; hide it otherwise."""
        self.setVisible(may_see_dashboard(roles))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Text in the current language."""
        self.setText(self.tr("Hall dashboard"))
        self.setToolTip(self.tr("Where cases wait, and why: stage times, backlog, desks"))
