"""The Desk facade end to end: simulated reader, real sandbox over HTTP, real outbox."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.contract import CoSign
from desktop.errors import DeskError
from desktop.resources import resource_path
from desktop.sync import Backoff
from devices.card.simulated import SimulatedCardReader
from sandbox.server import EmbeddedSandbox
from ui.app import build_desk, load_seed, training_settings

CARDS = resource_path("cards")
FACES = resource_path("sandbox", "faces")
SEED = load_seed()
FORM = SEED and {
    "reason_for_leaving": "contract_expired",
    "last_employer": "示例贸易有限公司",
    "insured_months": 36,
    "amount": 2130.5,
}
PINS = {"c01": "123456", "c02": "654321"}


def write_seed(tmp_path: Path, change) -> Path:
    """A copy of the training seed with absolute paths, edited by ``change(seed)``."""
    base = resource_path("sandbox")
    seed = json.loads((base / "seed.json").read_text(encoding="utf-8"))
    seed["services"] = str((base / seed.get("services", "../services.json")).resolve())
    for citizen in seed["citizens"]:
        for key in ("card_profile", "face_reference", "face_probe"):
            if citizen.get(key):
                citizen[key] = str((base / citizen[key]).resolve())
    change(seed)
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    return path


class Heard:
    def __init__(self):
        self.events: list[tuple] = []
        self.sent = threading.Event()

    def __getattr__(self, name):
        if not name.startswith("on_"):
            raise AttributeError(name)

        def record(*args):
            self.events.append((name, *args))
            if name == "on_case_sent":
                self.sent.set()

        return record


class Rig:
    def __init__(self, tmp_path: Path, *, seed: Path | None = None, face: bool = False):
        self.tmp_path = tmp_path
        self.sandbox = EmbeddedSandbox(tmp_path / "central.db", seed)
        self.reader = SimulatedCardReader()
        self.face = face
        self.heard = Heard()

    def __enter__(self) -> Rig:
        url = self.sandbox.start()
        self.settings = training_settings(url)
        self.desk = build_desk(
            self.settings,
            reader="sim",
            data_dir=self.tmp_path / "data",
            sim_reader=self.reader,
            face=self.face,
            backoff=Backoff(base=0.05, cap=0.2, floor=0.02),
        )
        self.desk.add_listener(self.heard)
        self.desk.start()
        self.desk.sign_in("clerk01", "clerk01-training").result(30)
        self.desk.services().result(30)
        return self

    def __exit__(self, *exc) -> None:
        self.desk.stop()
        self.sandbox.stop()

    def citizen(self, card: str = "c01"):
        self.reader.insert(CARDS / f"{card}.json")
        return self.desk.begin_citizen().result(30)


def test_full_case_with_pin_and_face(tmp_path):
    with Rig(tmp_path, face=True) as rig:
        session = rig.citizen("c01")
        assert session.offline is False and session.person_ref
        assert session.card_status == "normal" and session.mismatches == ()
        assert rig.desk.pin_tries_left().result(30) == 3
        assert rig.desk.verify_pin(session, "123456").result(30).status == "ok"

        fetched = []
        original = rig.desk.client.face_reference
        rig.desk.client.face_reference = lambda *a: fetched.append(1) or original(*a)
        probe = (FACES / "c01-probe.jpg").read_bytes()
        first = rig.desk.check_face(session, probe).result(120)
        second = rig.desk.check_face(session, probe).result(120)
        assert first.match is True and second.match is True
        assert fetched == [1]  # the reference photo is fetched once per citizen
        assert session.face.decision == "match"
        assert session.face.distance == round(first.distance, 4)

        queued = rig.desk.submit(session, "unemployment_benefit", FORM).result(30)
        assert queued.local_id.startswith("W01-")
        assert rig.heard.sent.wait(30)
        rig.desk.end_citizen()
        assert session.record is None and session.lookup is None and session._reference is None
        assert ("on_case_sent", queued.local_id) == rig.heard.events[
            [e[0] for e in rig.heard.events].index("on_case_sent")
        ][:2]


def test_factors_form_and_pin_are_enforced(tmp_path):
    with Rig(tmp_path) as rig:
        session = rig.citizen("c02")
        with pytest.raises(DeskError) as info:
            rig.desk.submit(session, "card_loss_report", {"loss_kind": "formal"}).result(30)
        assert info.value.code == "pin_required"

        result = rig.desk.verify_pin(session, "000000").result(30)
        assert result.status == "wrong" and result.tries_left == 2
        assert session.pin_ok is False

        assert rig.desk.verify_pin(session, PINS["c02"]).result(30).status == "ok"
        with pytest.raises(DeskError) as info:
            rig.desk.submit(session, "card_loss_report", {"loss_kind": "sometimes"}).result(30)
        assert info.value.code == "form_invalid"
        assert info.value.fields == {"form.loss_kind": "enum"}

        with pytest.raises(DeskError) as info:
            rig.desk.submit(session, "unemployment_benefit", FORM).result(30)
        assert info.value.code == "face_required"

        rig.desk.decline_face(session)
        with pytest.raises(DeskError) as info:
            rig.desk.submit(session, "unemployment_benefit", FORM).result(30)
        assert info.value.code == "cosign_required"
        assert info.value.fields["approvals"] == "face_declined"

        cosign = rig.desk.cosign("super01", "super01-training", "resident ID checked").result(30)
        assert cosign.supervisor == "super01"
        queued = rig.desk.submit(session, "unemployment_benefit", FORM, cosign=cosign).result(30)
        assert queued.service == "unemployment_benefit"

        with pytest.raises(DeskError) as info:
            rig.desk.cosign("clerk01", "clerk01-training", "x").result(30)
        assert info.value.code == "cosign_not_supervisor"


def test_pin_is_not_kept(tmp_path):
    pin = "123456"
    with Rig(tmp_path) as rig:
        session = rig.citizen("c01")
        assert rig.desk.verify_pin(session, pin).result(30).status == "ok"
        for holder in (session, rig.desk, rig.desk.card_service):
            assert pin not in repr(vars(holder))


def test_swapped_card_is_refused_just_before_the_commit(tmp_path):
    with Rig(tmp_path) as rig:
        session = rig.citizen("c02")
        assert rig.desk.verify_pin(session, PINS["c02"]).result(30).status == "ok"
        # A swap faster than any poll: no removal event, another card answers.
        rig.reader.swap(CARDS / "c01.json")
        with pytest.raises(DeskError) as info:
            rig.desk.submit(session, "card_loss_report", {"loss_kind": "formal"}).result(30)
        assert info.value.code == "card_changed"
        assert rig.desk.outbox.counts()["pending"] == 0


@pytest.mark.parametrize(
    ("status", "code"),
    [("lost", "card_lost"), ("cancelled", "card_cancelled"), ("replaced", "card_replaced")],
)
def test_refused_card_statuses(tmp_path, status, code):
    def change(seed):
        seed["citizens"][1]["card_status"] = status

    with Rig(tmp_path, seed=write_seed(tmp_path, change)) as rig:
        rig.reader.insert(CARDS / "c02.json")
        with pytest.raises(DeskError) as info:
            rig.desk.begin_citizen().result(30)
        assert info.value.code == code
        assert rig.desk.citizen is None


def test_card_data_disagreeing_with_central_is_a_warning_with_both_values(tmp_path):
    def change(seed):
        seed["citizens"][0]["name"] = "张伟民"
        seed["citizens"][0]["birth_date"] = "1962-10-16"

    with Rig(tmp_path, seed=write_seed(tmp_path, change)) as rig:
        session = rig.citizen("c01")
        assert {"name_mismatch", "birth_date_mismatch"} <= set(session.warnings)
        by_field = {m.field: (m.card, m.central) for m in session.mismatches}
        assert by_field == {
            "name": ("张伟明", "张伟民"),
            "birth_date": ("1962-10-15", "1962-10-16"),
        }


def test_offline_citizen_is_queued_and_sent_when_central_returns(tmp_path):
    with Rig(tmp_path) as rig:
        # The supervisor signed in at this desk once while central was there: the desk keeps
        # an offline verifier of that sign-in.
        rig.desk.sign_in("super01", "super01-training").result(30)
        rig.desk.sign_in("clerk01", "clerk01-training").result(30)
        port = int(rig.settings.central_url.rsplit(":", 1)[1])
        rig.sandbox.stop()  # central goes away after sign-in
        session = rig.citizen("c01")
        assert session.offline is True and session.person_ref is None
        assert "identity_offline" in session.warnings
        assert rig.desk.verify_pin(session, PINS["c01"]).result(30).status == "ok"
        with pytest.raises(DeskError) as info:
            rig.desk.check_face(session, b"jpeg").result(30)
        assert info.value.code == "face_unavailable"
        assert session.face.decision == "unavailable"

        with pytest.raises(DeskError) as info:
            rig.desk.submit(session, "unemployment_benefit", FORM).result(30)
        assert info.value.code == "cosign_required"
        # A co-signature made up outside the desk is refused; a supervisor co-signs at the
        # desk offline, against the verifier of their last online sign-in here.
        forged = CoSign(supervisor="super01", reason="offline", at=datetime.now(UTC))
        with pytest.raises(DeskError) as info:
            rig.desk.submit(session, "unemployment_benefit", FORM, cosign=forged).result(30)
        assert info.value.code == "cosign_unverified"
        cosign = rig.desk.cosign("super01", "super01-training", "offline").result(30)
        queued = rig.desk.submit(session, "unemployment_benefit", FORM, cosign=cosign).result(30)
        assert rig.desk.outbox.counts()["pending"] + rig.desk.outbox.counts()["sending"] == 1
        assert ("on_network_state", False) in rig.heard.events

        rig.sandbox = EmbeddedSandbox(tmp_path / "central.db", port=port)
        rig.sandbox.start()
        rig.desk.outbox.wake()
        assert rig.heard.sent.wait(30)
        assert ("on_case_sent", queued.local_id) in [e[:2] for e in rig.heard.events]


def test_removed_card_ends_the_session_after_the_grace_period(tmp_path):
    with Rig(tmp_path) as rig:
        rig.desk.settings = rig.settings.__class__(
            **{**rig.settings.__dict__, "card_grace_seconds": 0.2}
        )
        session = rig.citizen("c01")
        ended = threading.Event()
        rig.desk.add_listener(type("L", (), {"on_citizen_ended": lambda s, r: ended.set()})())
        rig.reader.remove()
        assert ended.wait(10)
        assert rig.desk.citizen is None and session.record is None


def test_not_signed_in_and_stopped_desk(tmp_path):
    with Rig(tmp_path) as rig:
        rig.desk.sign_out()
        rig.reader.insert(CARDS / "c01.json")
        with pytest.raises(DeskError) as info:
            rig.desk.begin_citizen().result(30)
        assert info.value.code == "not_signed_in"
        with pytest.raises(DeskError) as info:
            rig.desk.sign_in("clerk01", "wrong").result(30)
        assert info.value.code == "sign_in_failed"
    with pytest.raises(DeskError) as info:
        rig.desk.services().result(5)
    assert info.value.code == "desk_stopped"
    names = [t.name for t in threading.enumerate()]
    assert not [n for n in names if n.startswith(("desk", "outbox-", "card", "face-"))], names
