"""The outbox through the Desk facade: the freeze rule refuses new cases with a reason, and the
clerk corrects or withdraws a case central refused (simulated reader, real sandbox)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from pathlib import Path

import pytest

from desktop.contract import FaultSpec
from desktop.errors import DeskError
from desktop.resources import resource_path
from desktop.sync import Backoff
from devices.card.simulated import SimulatedCardReader
from sandbox.server import EmbeddedSandbox
from ui.app import build_desk, load_seed, training_settings

CARDS = resource_path("cards")
SEED = load_seed()
FORM = {
    "reason_for_leaving": "contract_expired",
    "last_employer": "示例贸易有限公司",
    "insured_months": 36,
    "amount": 2130.5,
}
SUPERVISOR = next(s for s in SEED["staff"] if s["username"] == "super01")


class DeskRig:
    """A started desk (no face worker) against an embedded sandbox.

    ``serve`` serves a citizen with central up, then cuts central off just before the case is
    submitted, so the case waits in the outbox. The sync loop pauses 30 s after a failure, so
    nothing is sent until the test says "send now".
    """

    def __init__(self, tmp_path: Path, **outbox_settings):
        self.tmp_path = tmp_path
        self.sandbox = EmbeddedSandbox(tmp_path / "central.db", advance_seconds=0)
        self.reader = SimulatedCardReader()
        self.outbox_settings = outbox_settings
        self.sending_failed = threading.Event()

    def on_network_state(self, online: bool) -> None:
        """DeskListener: the outbox's first failed send (the sync loop then pauses 30 s)."""
        if not online:
            self.sending_failed.set()

    def __enter__(self) -> DeskRig:
        url = self.sandbox.start()
        settings = dataclasses.replace(training_settings(url), **self.outbox_settings)
        self.desk = build_desk(
            settings,
            reader="sim",
            data_dir=self.tmp_path / "data",
            sim_reader=self.reader,
            face=False,
            backoff=Backoff(base=30, cap=30, floor=30),
        )
        self.desk.add_listener(self)
        self.desk.start()
        self.desk.sign_in("clerk01", "clerk01-training").result(30)
        self.desk.services().result(30)
        return self

    def __exit__(self, *exc) -> None:
        self.desk.stop()
        self.sandbox.stop()

    def central_up(self) -> None:
        self.sandbox.set_faults(FaultSpec())

    def serve(self, form: dict, card: str = "c01", pin: str = "123456"):
        """Serve a citizen who declines the face check; the supervisor co-signs."""
        self.central_up()
        self.reader.insert(CARDS / f"{card}.json")
        try:
            session = self.desk.begin_citizen().result(30)
            assert self.desk.verify_pin(session, pin).result(30).status == "ok"
            self.desk.decline_face(session)
            cosign = self.desk.cosign("super01", SUPERVISOR["password"], "declined").result(30)
            self.sandbox.set_faults(FaultSpec(error_rate=1.0))  # the network goes down
            queued = self.desk.submit(session, "unemployment_benefit", form, cosign=cosign)
            queued = queued.result(30)
            # The first case's send fails and the loop pauses, so bringing central back for
            # the next citizen sends nothing behind the test's back.
            assert self.sending_failed.wait(30)
            return queued
        finally:
            self.desk.end_citizen()
            self.reader.remove()

    def central_db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.tmp_path / "central.db")


@pytest.mark.slow
def test_a_frozen_desk_refuses_new_cases_and_says_why(tmp_path):
    with DeskRig(tmp_path, outbox_freeze_max_unsent=2) as rig:
        rig.serve(FORM)
        rig.serve(FORM)
        assert rig.desk.outbox.freeze_state().frozen
        with pytest.raises(DeskError) as info:
            rig.serve(FORM)
        error = info.value
        assert error.code == "outbox_frozen"
        assert error.fields["reason"] == "unsent_count"
        assert error.fields["unsent"] == 2 and error.fields["max_unsent"] == 2
        assert "Send now" in error.detail
        assert rig.desk.outbox.counts()["pending"] == 2

        # Central is back; "send now" empties the queue and the desk serves again.
        rig.central_up()
        rig.desk.send_now()
        assert rig.desk.outbox.wait_until(lambda c: c["sent"] == 2, 30)
        assert not rig.desk.outbox.freeze_state().frozen
        assert rig.serve(FORM).local_id.endswith("-0003")


@pytest.mark.slow
def test_the_clerk_corrects_a_refused_case_and_withdraws_another(tmp_path):
    c02 = next(c for c in SEED["citizens"] if c["id"] == "c02")
    with DeskRig(tmp_path) as rig:
        outbox = rig.desk.outbox
        first = rig.serve(FORM)
        second = rig.serve(FORM, card="c02", pin="654321")

        # While the cases waited, central's rules changed (a claim now needs 48 insured
        # months) and the second citizen's card was reported lost.
        conn = rig.central_db()
        (raw,) = conn.execute(
            "SELECT body FROM services WHERE code = 'unemployment_benefit'"
        ).fetchone()
        body = json.loads(raw)
        body["form"]["properties"]["insured_months"]["minimum"] = 48
        conn.execute(
            "UPDATE services SET body = ? WHERE code = 'unemployment_benefit'",
            (json.dumps(body, ensure_ascii=False),),
        )
        conn.execute(
            "UPDATE citizens SET card_status = 'lost' WHERE card_no = ?", (c02["card_no"],)
        )
        conn.commit()
        conn.close()

        rig.central_up()
        rig.desk.send_now()
        assert outbox.wait_until(lambda c: c["rejected"] == 2, 30)
        entries = {e.local_id: e for e in outbox.list().result(10)}
        assert entries[first.local_id].error_code == "form_invalid"
        assert entries[first.local_id].error_fields == {"form.insured_months": "minimum"}
        assert entries[second.local_id].error_code == "case_invalid"
        assert entries[second.local_id].error_fields == {"citizen.card_no": "card_lost"}

        # Correct: the desk checks the form first, then queues version 2 under a new key.
        with pytest.raises(DeskError) as info:
            rig.desk.resubmit_case(first.local_id, {**FORM, "insured_months": "many"}).result(30)
        assert info.value.code == "form_invalid"
        fixed = rig.desk.resubmit_case(first.local_id, {**FORM, "insured_months": 48}).result(30)
        assert fixed.local_id == f"{first.local_id}.2" and fixed.supersedes == first.local_id

        # Withdraw: a reason code, and a note kept sealed.
        withdrawn = rig.desk.withdraw_case(second.local_id, "cannot_correct", "card lost")
        assert withdrawn.result(30) is True
        assert outbox.wait_until(
            lambda c: c["sent"] == 1 and c["rejected"] == 0 and c["withdrawn"] == 1, 30
        )
        chain = outbox.history(fixed.local_id).result(10)
        listed = {e.local_id: e for e in outbox.list().result(10)}

    assert [(e.version, e.state) for e in chain] == [(1, "rejected"), (2, "sent")]
    assert chain[0].changed_by == "clerk01" and chain[0].superseded_by == fixed.local_id
    assert listed[second.local_id].withdraw_reason == "cannot_correct"
    assert listed[second.local_id].changed_by == "clerk01"
    conn = sqlite3.connect(tmp_path / "central.db")
    stored = conn.execute("SELECT local_id, idempotency_key FROM cases").fetchall()
    conn.close()
    assert stored == [(fixed.local_id, fixed.idempotency_key)]
