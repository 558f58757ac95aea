"""Set-up shared by the windows that list rows in a read-only table (alerts, approvals, outbox):
the table itself and the word-wrapped texts around it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QWidget,
)


def read_only_table(
    parent: QWidget,
    columns: int,
    name: str,
    *,
    single_selection: bool = False,
    stretch_last: bool = True,
) -> QTableWidget:
    """A table of ``columns`` columns that selects whole rows and cannot be edited.

    The row numbers are hidden and the columns fit their contents; ``single_selection`` lets
    only one row be chosen at a time, ``stretch_last`` gives the last column the width left.
    """
    table = QTableWidget(0, columns, parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single_selection:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch_last:
        header.setStretchLastSection(True)
    return table


def wrapped_label(parent: QWidget, layout: QBoxLayout, name: str = "") -> QLabel:
    """A word-wrapping label (named ``name`` when given) added at the end of ``layout``."""
    label = QLabel(parent)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    layout.addWidget(label)
    return label
