"""The staff second factor the hall configures: the staff member's own card and its PIN, or
their own face through the same face pipeline as citizens. Real sandbox, real desk, simulated
reader (the card emulator), and for the face the real face worker with the seed's photos.
"""

from __future__ import annotations

import pytest
from security_support import CARDS, DeskRig

from desktop.auth import SecurityPolicy
from desktop.errors import DeskError
from desktop.resources import resource_path

FACES = resource_path("sandbox", "faces")


def _refused(future) -> DeskError:
    with pytest.raises(DeskError) as info:
        future.result(60)
    return info.value


def test_the_staff_card_and_its_pin(tmp_path):
    with DeskRig(tmp_path, security=SecurityPolicy(second_factor="card_pin")) as rig:
        staff = rig.desk.sign_in("clerk02", "clerk02-training").result(30)
        assert staff.second_factor == "card_pin"
        # Nothing else goes until the factor is checked.
        assert _refused(rig.desk.begin_citizen()).code == "second_factor_required"

        rig.reader.insert(CARDS / "c01.json")  # somebody else's card
        assert _refused(rig.desk.verify_staff_card("123456")).code == "staff_card_mismatch"
        rig.reader.swap(CARDS / "c04.json")  # the clerk's own card
        wrong = _refused(rig.desk.verify_staff_card("000000"))
        assert wrong.code == "staff_pin_wrong" and wrong.fields == {"tries_left": 2}
        passed = rig.desk.verify_staff_card("246810").result(30)
        assert passed.second_factor is None and rig.desk.staff.second_factor is None
        assert _refused(rig.desk.verify_staff_card("246810")).code == "second_factor_not_pending"

        rig.reader.remove()
        rig.desk.services().result(30)
        session = rig.citizen("c01")
        assert session.person_ref
        rig.desk.sign_out()

        # Offline the card on file comes from the desk's sealed verifier record.
        rig.reader.remove()
        rig.sandbox.stop()
        offline = rig.desk.sign_in("clerk02", "clerk02-training").result(30)
        assert (offline.mode, offline.second_factor) == ("offline", "card_pin")
        rig.reader.insert(CARDS / "c04.json")
        assert rig.desk.verify_staff_card("246810").result(30).second_factor is None
        outcomes = [
            r["details"]["outcome"] for r in rig.audit_rows() if r["action"] == "second_factor"
        ]
    assert outcomes == ["other_card", "wrong", "ok", "ok"]


def test_no_card_on_file_means_no_card_factor(tmp_path):
    with DeskRig(tmp_path, security=SecurityPolicy(second_factor="card_pin")) as rig:
        rig.desk.sign_in("clerk01", "clerk01-training").result(30)
        rig.reader.insert(CARDS / "c01.json")
        assert _refused(rig.desk.verify_staff_card("123456")).code == "second_factor_unavailable"
        assert _refused(rig.desk.begin_citizen()).code == "second_factor_required"


@pytest.mark.slow
def test_the_staff_members_own_face(tmp_path):
    policy = SecurityPolicy(second_factor="face")
    with DeskRig(tmp_path, security=policy, face=True) as rig:
        staff = rig.desk.sign_in("super02", "super02-training").result(30)
        assert staff.second_factor == "face"
        assert _refused(rig.desk.approvals()).code == "second_factor_required"

        other = (FACES / "c01-probe.jpg").read_bytes()
        assert _refused(rig.desk.verify_staff_face(other)).code == "staff_face_mismatch"
        own = (FACES / "c05-probe.jpg").read_bytes()
        assert rig.desk.verify_staff_face(own).result(120).second_factor is None
        assert rig.desk.approvals().result(30).items == []

        # Offline the photo is out of reach: the factor cannot be passed.
        rig.desk.sign_out()
        rig.sandbox.stop()
        rig.desk.sign_in("super02", "super02-training").result(30)
        assert _refused(rig.desk.verify_staff_face(own)).code == "second_factor_unavailable"
