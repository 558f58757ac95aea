"""Staff sign-in at the desk: online, offline against the verifier, expiry, lockout, idle lock,
sign-out. A real sandbox over HTTP, the desk built by ui.app.build_desk, a simulated reader.

Clocks are replaced where time matters (the verifier's age, the idle time), never waited on.
"""

from __future__ import annotations

import sqlite3
import time

import pytest
from security_support import PASSWORDS, DeskRig

from desktop.auth import SecurityPolicy
from desktop.errors import DeskError


class Clock:
    """A settable clock: real time plus an offset."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def _refused(future) -> DeskError:
    with pytest.raises(DeskError) as info:
        future.result(30)
    return info.value


def test_online_sign_in_then_offline_against_the_verifier(tmp_path):
    with DeskRig(tmp_path) as rig:
        staff = rig.sign_in("clerk01")
        assert (staff.username, staff.mode, staff.roles) == ("clerk01", "online", ("clerk",))
        rig.desk.sign_out()

        rig.sandbox.stop()  # central goes away
        offline = rig.sign_in("clerk01")
        assert (offline.username, offline.mode, offline.roles) == ("clerk01", "offline", ("clerk",))
        assert offline.name == "周敏"
        assert rig.desk.online is False

        # Serving goes on offline, as the design says.
        session = rig.citizen("c01")
        assert session.offline is True and "identity_offline" in session.warnings

        error = _refused(rig.desk.sign_in("clerk01", "not-the-password"))
        assert error.code == "sign_in_failed"
        assert error.fields == {"failures": 1, "mode": "offline"}


def test_no_offline_sign_in_without_an_earlier_online_one(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sandbox.stop()
        error = _refused(rig.desk.sign_in("super01", PASSWORDS["super01"]))
        assert error.code == "central_unavailable"
        assert error.fields == {"offline": "no_verifier"}


def test_an_offline_verifier_is_refused_after_its_expiry(tmp_path):
    policy = SecurityPolicy(offline_days=7)
    with DeskRig(tmp_path, security=policy) as rig:
        clock = Clock()
        rig.desk.guard.clock = clock
        rig.sign_in("clerk01")
        rig.desk.sign_out()
        rig.sandbox.stop()

        clock.offset = 6.9 * 86400
        assert rig.sign_in("clerk01").mode == "offline"
        rig.desk.sign_out()

        clock.offset = 7.1 * 86400
        error = _refused(rig.desk.sign_in("clerk01", PASSWORDS["clerk01"]))
        assert error.code == "offline_expired"
        # The right password does not help, and it does not count as a failure either.
        authenticator = rig.desk.guard.authenticator
        # (staff.db belongs to the desk's thread)
        assert rig.desk._run(lambda: authenticator.locked_for("clerk01")).result(10) == 0

        # A clock set back before the verifier was made is no way around the expiry.
        clock.offset = -86400
        assert _refused(rig.desk.sign_in("clerk01", PASSWORDS["clerk01"])).code == (
            "offline_expired"
        )


def test_a_tampered_verifier_is_not_used(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("clerk01")
        rig.desk.sign_out()
        rig.sandbox.stop()
        # Someone with the file grants the clerk the supervisor role offline.
        with sqlite3.connect(tmp_path / "desk" / "staff.db") as db:
            body = db.execute("SELECT body FROM staff_verifiers WHERE username='clerk01'")
            text = body.fetchone()[0].replace('["clerk"]', '["clerk", "supervisor"]')
            db.execute("UPDATE staff_verifiers SET body = ? WHERE username='clerk01'", (text,))
        error = _refused(rig.desk.sign_in("clerk01", PASSWORDS["clerk01"]))
        assert error.code == "central_unavailable"


def test_lockout_online_and_offline_survives_a_restart(tmp_path):
    policy = SecurityPolicy(max_failures=3, lockout_minutes=15, failed_sign_in_alert=2)
    with DeskRig(tmp_path, security=policy) as rig:
        clock = Clock()
        rig.desk.guard.clock = clock
        rig.sign_in("clerk01")
        rig.desk.sign_out()

        # Online: three wrong passwords lock the user at this desk.
        codes = [_refused(rig.desk.sign_in("clerk01", "wrong-password")).code for _ in range(3)]
        assert codes == ["sign_in_failed", "sign_in_failed", "account_locked"]
        locked = _refused(rig.desk.sign_in("clerk01", PASSWORDS["clerk01"]))
        assert locked.code == "account_locked" and locked.fields["by"] == "desk"
        alerts = rig.listener.named("on_alert")
        assert alerts and alerts[0][1]["kind"] == "failed_sign_ins"
        assert alerts[0][1]["subject"] == "clerk01"

        # The lockout is kept on disk: a restarted desk still refuses.
        rig.restart_desk()
        rig.desk.guard.clock = clock
        assert _refused(rig.desk.sign_in("clerk01", PASSWORDS["clerk01"])).code == (
            "account_locked"
        )

        # After the lockout time the right password works again.
        clock.offset = 16 * 60
        assert rig.sign_in("clerk01").mode == "online"
        rig.desk.sign_out()

        # Offline failures count the same way.
        rig.sandbox.stop()
        codes = [_refused(rig.desk.sign_in("clerk01", "wrong-password")).code for _ in range(3)]
        assert codes == ["sign_in_failed", "sign_in_failed", "account_locked"]
        assert _refused(rig.desk.sign_in("clerk01", PASSWORDS["clerk01"])).code == (
            "account_locked"
        )


def test_failed_sign_ins_with_unknown_names_are_audited_without_the_name(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("clerk01")
        rig.desk.sign_out()
        _refused(rig.desk.sign_in("clerk01-training", "typed-the-password-as-name"))
        _refused(rig.desk.sign_in("clerk01", "wrong-password"))
        rows = rig.audit_rows()
    failed = [r for r in rows if r["action"] == "sign_in_failed"]
    assert [r["actor"] for r in failed][1] == "clerk01"
    assert failed[0]["actor"].startswith("user#") and "clerk01" not in failed[0]["actor"]
    data = b"".join(
        (tmp_path / "desk" / name).read_bytes()
        for name in ("audit.db", "staff.db")
        if (tmp_path / "desk" / name).exists()
    )
    for secret in ("clerk01-training", "typed-the-password-as-name", "wrong-password"):
        assert secret.encode() not in data


def test_the_screen_locks_when_idle_and_asks_for_the_password(tmp_path):
    with DeskRig(tmp_path, security=SecurityPolicy(idle_lock_minutes=5)) as rig:
        now = [1000.0]
        rig.desk.guard.monotonic = lambda: now[0]
        rig.sign_in("clerk01")
        session = rig.citizen("c01")

        now[0] += 4 * 60
        rig.desk.decline_face(session)  # still active: this resets the idle time
        now[0] += 5 * 60 + 1
        with pytest.raises(DeskError) as info:
            rig.desk.decline_face(session)
        assert info.value.code == "session_locked"
        assert rig.desk.locked == "idle"
        assert ("on_session_locked", "idle") in rig.listener.events

        # Locked, nothing goes; the wrong password does not unlock.
        assert _refused(rig.desk.begin_citizen()).code == "session_locked"
        assert _refused(rig.desk.unlock("wrong-password")).code == "sign_in_failed"
        assert rig.desk.locked == "idle"
        staff = rig.desk.unlock(PASSWORDS["clerk01"]).result(30)
        assert staff.username == "clerk01" and rig.desk.locked is None
        rig.desk.decline_face(session)

        # Locking by hand works the same way.
        rig.desk.lock()
        assert ("on_session_locked", "manual") in rig.listener.events
        assert _refused(rig.desk.pin_tries_left()).code == "session_locked"
        rig.desk.unlock(PASSWORDS["clerk01"]).result(30)
        actions = [r["action"] for r in rig.audit_rows()]
    assert actions.count("session_locked") == 2 and actions.count("session_unlocked") == 2


def test_a_lockout_while_unlocking_signs_the_staff_member_out(tmp_path):
    policy = SecurityPolicy(max_failures=2)
    with DeskRig(tmp_path, security=policy) as rig:
        rig.sign_in("clerk01")
        session = rig.citizen("c01")
        rig.desk.lock()
        assert _refused(rig.desk.unlock("wrong-password")).code == "sign_in_failed"
        assert _refused(rig.desk.unlock("wrong-password")).code == "account_locked"
        assert rig.desk.staff is None and rig.desk.citizen is None
        assert session.record is None
        assert ("on_signed_out", "locked_out") in rig.listener.events


def test_signing_out_wipes_the_session(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("clerk01")
        session = rig.citizen("c01")
        assert session.record is not None and session.person_ref
        rig.desk.sign_out()
        assert rig.desk.staff is None and rig.desk.citizen is None
        assert session.record is None and session.lookup is None and session.ended
        assert ("on_signed_out", "signed_out") in rig.listener.events
        assert _refused(rig.desk.begin_citizen()).code == "not_signed_in"
        assert rig.desk._token is None
        actions = [(r["action"], r["actor"]) for r in rig.audit_rows()]
    assert ("sign_out", "clerk01") in actions


def test_another_staff_member_signing_in_replaces_the_session(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("clerk01")
        session = rig.citizen("c01")
        rig.sign_in("super01")
        assert rig.desk.staff.username == "super01"
        assert rig.desk.citizen is None and session.ended
