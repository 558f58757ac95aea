"""The outbox view on the real training Desk: rows and states, Send now, Withdraw.

Cases go into the Desk's real outbox (``desk.outbox.enqueue``) and the real sync loop sends
them to the embedded training central on loopback. A form central refuses (too few insured
months) makes a rejected case; the sandbox's injected faults keep a case waiting.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from screenshots import save_screenshot

from desktop.contract import CaseSubmission, CitizenRef, FaceCheck, IdentityCheck
from sandbox.faults import parse_faults

FORM = {
    "reason_for_leaving": "contract_expired",
    "last_employer": "示例贸易有限公司",
    "insured_months": 36,
    "amount": 2130.5,
}


def make_case(desk, seed: dict, form: dict | None = None) -> CaseSubmission:
    citizen = seed["citizens"][0]
    return CaseSubmission(
        local_id="unassigned",
        service="unemployment_benefit",
        hall_id=desk.settings.hall_id,
        workstation_id=desk.settings.workstation_id,
        clerk="clerk01",
        created_at=datetime.now(UTC),
        citizen=CitizenRef(ssn=citizen["ssn"], card_no=citizen["card_no"]),
        identity=IdentityCheck(
            pin="ok", face=FaceCheck(decision="match", distance=0.35, threshold=0.6)
        ),
        form=dict(form or FORM),
    )


def open_view(qtbot, window):
    qtbot.mouseClick(window.outbox_button, Qt.MouseButton.LeftButton)
    view = window.outbox_view
    assert view is not None and view.isVisible()
    return view


def entry_of(view, local_id: str):
    return next((e for e in view.entries() if e.local_id == local_id), None)


def row_texts(view, local_id: str) -> list[str]:
    for row, entry in enumerate(view.entries()):
        if entry.local_id == local_id:
            return [view.table.item(row, c).text() for c in range(view.table.columnCount())]
    raise AssertionError(f"{local_id} not shown")


def wait_state(qtbot, view, local_id: str, state: str, timeout: int = 30000) -> None:
    def shown() -> bool:
        entry = entry_of(view, local_id)
        return entry is not None and entry.state == state

    qtbot.waitUntil(shown, timeout=timeout)


def test_view_lists_a_sent_case_with_its_state(qtbot, make_clerk_window, seed):
    window, desk = make_clerk_window()
    view = open_view(qtbot, window)
    queued = desk.outbox.enqueue(make_case(desk, seed)).result(10)
    wait_state(qtbot, view, queued.local_id, "sent")

    texts = row_texts(view, queued.local_id)
    entry = entry_of(view, queued.local_id)
    assert texts[0] == f"{queued.local_id}（第 1 版）"
    assert texts[1] and texts[1] != "unemployment_benefit"  # the service's name, not its code
    assert texts[3] == "已发送"
    assert entry.central_id and texts[6] == entry.central_id
    assert texts[5] == ""  # no next try for a sent case
    assert view.send_now_button.text() == "立即发送"
    assert window.outbox_button.text() == "发件箱"


def test_send_now_sends_a_waiting_case(qtbot, make_clerk_window, training_central, seed):
    window, desk = make_clerk_window()
    view = open_view(qtbot, window)
    training_central._sandbox.set_faults(parse_faults("error_rate=1"))
    queued = desk.outbox.enqueue(make_case(desk, seed)).result(10)

    def failed_twice() -> bool:
        entry = entry_of(view, queued.local_id)
        return entry is not None and entry.state == "pending" and entry.attempts >= 2

    qtbot.waitUntil(failed_twice, timeout=30000)
    texts = row_texts(view, queued.local_id)
    assert texts[3] == "待发送"
    assert texts[5] != ""  # a pending case shows its next try
    assert texts[7]  # and why it waits

    training_central._sandbox.set_faults(parse_faults(""))
    qtbot.mouseClick(view.send_now_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, view, queued.local_id, "sent")
    assert entry_of(view, queued.local_id).central_id


def test_rejected_case_needs_action_and_can_be_withdrawn(qtbot, make_clerk_window, sign_in, seed):
    window, desk = make_clerk_window()
    sign_in(window)
    view = open_view(qtbot, window)
    sent = desk.outbox.enqueue(make_case(desk, seed)).result(10)
    bad = desk.outbox.enqueue(make_case(desk, seed, {**FORM, "insured_months": 3})).result(10)
    wait_state(qtbot, view, sent.local_id, "sent")
    wait_state(qtbot, view, bad.local_id, "rejected")

    texts = row_texts(view, bad.local_id)
    assert "需处理" in texts[3]
    assert "form.insured_months" in texts[7]
    assert "需处理" not in row_texts(view, sent.local_id)[3]

    # Withdraw is offered for the rejected case, not for the sent one.
    assert view.select_case(sent.local_id)
    assert not view.withdraw_button.isEnabled()
    assert view.select_case(bad.local_id)
    assert view.withdraw_button.isEnabled()
    save_screenshot(view, "outbox-view.png")

    qtbot.mouseClick(view.withdraw_button, Qt.MouseButton.LeftButton)
    dialog = view.withdraw_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.reason_box.count() == 5
    dialog.reason_box.setCurrentIndex(dialog.reason_box.findData("duplicate"))
    dialog.note_edit.setPlainText("重复录入")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    wait_state(qtbot, view, bad.local_id, "withdrawn")
    entry = entry_of(view, bad.local_id)
    assert entry.withdraw_reason == "duplicate"
    assert not entry.needs_clerk
    texts = row_texts(view, bad.local_id)
    assert "需处理" not in texts[3] and "与其他业务重复" in texts[3]
    assert bad.local_id in view.message.text()
    assert desk.outbox.counts()["rejected"] == 0


def test_rejected_case_is_corrected_and_sent_as_a_new_version(
    qtbot, make_clerk_window, sign_in, seed
):
    window, desk = make_clerk_window()
    sign_in(window)
    view = open_view(qtbot, window)
    bad = desk.outbox.enqueue(make_case(desk, seed, {**FORM, "insured_months": 3})).result(10)
    wait_state(qtbot, view, bad.local_id, "rejected")
    qtbot.waitUntil(lambda: view.select_case(bad.local_id) and view.correct_button.isEnabled())

    qtbot.mouseClick(view.correct_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.correct_dialog is not None, timeout=10000)
    dialog = view.correct_dialog
    form = dialog.form
    # Pre-filled from the queued case, with central's objection next to the field.
    assert form.editor("insured_months").text() == "3"
    assert form.editor("last_employer").text() == FORM["last_employer"]
    assert form.error_text("insured_months")

    form.set_value("insured_months", 24)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    new_id = f"{bad.local_id}.2"
    wait_state(qtbot, view, new_id, "sent")
    old = entry_of(view, bad.local_id)
    assert old.superseded_by == new_id and not old.needs_clerk
    assert new_id in row_texts(view, bad.local_id)[3]
    assert row_texts(view, new_id)[0] == f"{new_id}（第 2 版）"
    assert desk.outbox.counts()["rejected"] == 0
