"""The sandbox central over real HTTP: uvicorn on a loopback port, real SQLite, requests."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests

from desktop.contract import CaseView, ErrorBody, LoginResponse, PersonLookupResponse
from desktop.resources import resource_path
from sandbox.server import EmbeddedSandbox

SEED = resource_path("sandbox", "seed.json")
CLERK = ("clerk01", "clerk01-training")
SUPERVISOR = ("super01", "super01-training")
ADMIN = ("admin01", "admin01-training")
WORKSTATION = ("W01", "w01-training-secret")
C01 = {"ssn": "110105196210150016", "card_no": "A10000011"}
C03 = {"ssn": "650102197804120042", "card_no": "A10000037"}


@pytest.fixture
def central(tmp_path):
    """A running sandbox (no background advancing) and its database file."""
    sandbox = EmbeddedSandbox(tmp_path / "central.db", SEED, advance_seconds=0)
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def http():
    """A requests session that ignores proxy settings: everything here is loopback."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


def _login(http, url, user) -> str:
    answer = http.post(f"{url}/v1/auth/login", json={"username": user[0], "password": user[1]})
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def _workstation_token(http, url) -> str:
    answer = http.post(
        f"{url}/v1/auth/workstation",
        json={"workstation_id": WORKSTATION[0], "secret": WORKSTATION[1]},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _lookup(http, url, token, person) -> requests.Response:
    return http.post(f"{url}/v1/persons/lookup", json=person, headers=_bearer(token))


def _error(answer: requests.Response) -> ErrorBody:
    return ErrorBody.model_validate(answer.json())


def _case(person_ref: str, **changes) -> dict:
    body = {
        "local_id": "W01-0001",
        "service": "unemployment_benefit",
        "hall_id": "H0001",
        "workstation_id": "W01",
        "clerk": "clerk01",
        "created_at": datetime(2026, 12, 4, 8, 30, tzinfo=UTC).isoformat(),
        "citizen": {"person_ref": person_ref, **C01},
        "identity": {
            "pin": "ok",
            "face": {"decision": "match", "distance": 0.38, "threshold": 0.6, "liveness": "ok"},
            "offline": False,
        },
        "form": {
            "reason_for_leaving": "contract_expired",
            "last_employer": "示例贸易有限公司",
            "insured_months": 36,
            "amount": 2130.5,
        },
        "cosign": None,
    }
    body.update(changes)
    return body


def _submit(http, url, token, body, key=None) -> requests.Response:
    headers = _bearer(token)
    if key is not False:
        headers["Idempotency-Key"] = key or str(uuid.uuid4())
    return http.post(f"{url}/v1/cases", json=body, headers=headers)


def _rows(db_path, key=None) -> int:
    with sqlite3.connect(db_path) as db:
        if key is None:
            return db.execute("select count(*) from cases").fetchone()[0]
        return db.execute(
            "select count(*) from cases where idempotency_key = ?", (key,)
        ).fetchone()[0]


@pytest.fixture
def clerk(central, http):
    """(url, clerk token, c01's person_ref)."""
    token = _login(http, central.url, CLERK)
    ref = _lookup(http, central.url, token, C01).json()["person_ref"]
    return central.url, token, ref


# --- sign-in ------------------------------------------------------------------------------


def test_staff_sign_in_gives_a_token_roles_and_hall(central, http):
    answer = http.post(
        f"{central.url}/v1/auth/login",
        json={"username": "super01", "password": SUPERVISOR[1], "workstation_id": "W01"},
    )
    assert answer.status_code == 200
    login = LoginResponse.model_validate(answer.json())
    assert (login.username, login.roles, login.hall_id) == (
        "super01",
        ["clerk", "supervisor"],
        "H0001",
    )
    assert login.expires_in > 0 and len(login.token) >= 32

    # The database keeps neither the password nor the token in clear.
    with sqlite3.connect(central.db_path) as db:
        dump = "\n".join(db.iterdump())
    assert SUPERVISOR[1] not in dump and login.token not in dump
    assert "scrypt$" in dump


@pytest.mark.parametrize(
    "body",
    [
        {"username": "clerk01", "password": "wrong-password"},
        {"username": "nobody", "password": "clerk01-training"},
    ],
)
def test_bad_sign_in_is_401_invalid_credentials(central, http, body):
    answer = http.post(f"{central.url}/v1/auth/login", json=body)
    assert answer.status_code == 401
    assert _error(answer).error.code == "invalid_credentials"


def test_repeated_failures_lock_the_account(central, http):
    for _ in range(5):
        bad = http.post(
            f"{central.url}/v1/auth/login", json={"username": "clerk01", "password": "x"}
        )
        assert bad.status_code == 401
    locked = http.post(
        f"{central.url}/v1/auth/login", json={"username": "clerk01", "password": CLERK[1]}
    )
    assert locked.status_code == 403
    assert _error(locked).error.code == "account_locked"
    assert int(locked.headers["Retry-After"]) > 0
    # Other accounts are not affected.
    assert _login(http, central.url, SUPERVISOR)


def test_workstation_sign_in(central, http):
    good = http.post(
        f"{central.url}/v1/auth/workstation",
        json={"workstation_id": "W01", "secret": WORKSTATION[1]},
    )
    assert good.status_code == 200
    assert good.json()["workstation_id"] == "W01" and good.json()["hall_id"] == "H0001"

    bad = http.post(
        f"{central.url}/v1/auth/workstation", json={"workstation_id": "W01", "secret": "guess"}
    )
    assert bad.status_code == 401 and _error(bad).error.code == "invalid_credentials"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "token_missing"),
        ({"Authorization": "Basic Y2xlcmswMTp4"}, "token_missing"),
        ({"Authorization": "Bearer not-a-token"}, "token_invalid"),
    ],
)
def test_calls_without_a_valid_token_are_401(central, http, headers, code):
    for method, path in (
        ("GET", "/v1/services"),
        ("POST", "/v1/persons/lookup"),
        ("POST", "/v1/cases"),
        ("GET", "/v1/cases/C20261204000001"),
    ):
        answer = http.request(method, f"{central.url}{path}", headers=headers, json={})
        assert answer.status_code == 401, path
        assert _error(answer).error.code == code
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


# --- catalog and persons -------------------------------------------------------------------


def test_services_carry_an_etag_and_answer_304_when_unchanged(central, http):
    token = _login(http, central.url, CLERK)
    first = http.get(f"{central.url}/v1/services", headers=_bearer(token))
    assert first.status_code == 200
    codes = [s["code"] for s in first.json()]
    assert codes[:3] == ["unemployment_benefit", "pension_certification", "card_loss_report"]
    etag = first.headers["ETag"]

    again = http.get(
        f"{central.url}/v1/services", headers={**_bearer(token), "If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag

    stale = http.get(
        f"{central.url}/v1/services", headers={**_bearer(token), "If-None-Match": '"old"'}
    )
    assert stale.status_code == 200 and stale.json() == first.json()


def test_lookup_finds_the_person_and_card(central, http):
    token = _login(http, central.url, CLERK)
    answer = _lookup(http, central.url, token, C03)
    assert answer.status_code == 200
    person = PersonLookupResponse.model_validate(answer.json())
    assert person.name == "阿依古丽·买买提艾力阿不都热合曼"
    assert person.birth_date.isoformat() == "1978-04-12"
    assert person.card_status == "normal"
    assert person.person_ref and C03["ssn"] not in person.person_ref

    # A lower-case check character is the same number.
    lower = _lookup(http, central.url, token, {"ssn": "31010419550308002x", "card_no": "A10000029"})
    assert lower.status_code == 200 and lower.json()["name"] == "李秀兰"

    # The workstation (kiosk) may look up too.
    kiosk = _lookup(http, central.url, _workstation_token(http, central.url), C03)
    assert kiosk.json()["person_ref"] == person.person_ref


def test_lookup_misses(central, http):
    token = _login(http, central.url, CLERK)
    nobody = _lookup(
        http, central.url, token, {"ssn": "11010519491231002X", "card_no": "A10000011"}
    )
    assert nobody.status_code == 404 and _error(nobody).error.code == "person_not_found"

    other_card = _lookup(http, central.url, token, {"ssn": C01["ssn"], "card_no": "A10000029"})
    assert other_card.status_code == 404
    assert _error(other_card).error.code == "card_not_found"

    malformed = _lookup(http, central.url, token, {"ssn": C01["ssn"], "card_no": "A1"})
    assert malformed.status_code == 422
    assert _error(malformed).error.fields == {"card_no": "string_pattern_mismatch"}


@pytest.mark.parametrize(
    ("person", "file", "media_type"),
    [(C01, "c01-ref.jpg", "image/jpeg"), (C03, "c03-ref.png", "image/png")],
)
def test_face_photo_is_served_with_its_type(central, http, person, file, media_type):
    token = _login(http, central.url, CLERK)
    ref = _lookup(http, central.url, token, person).json()["person_ref"]
    answer = http.get(f"{central.url}/v1/persons/{ref}/face", headers=_bearer(token))
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == media_type
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.content == resource_path("sandbox", "faces", file).read_bytes()

    missing = http.get(f"{central.url}/v1/persons/Pnobody/face", headers=_bearer(token))
    assert missing.status_code == 404 and _error(missing).error.code == "person_not_found"


# --- cases --------------------------------------------------------------------------------


def test_a_case_is_created_once_and_replayed(central, http, clerk):
    url, token, ref = clerk
    key = str(uuid.uuid4())

    created = _submit(http, url, token, _case(ref), key)
    assert created.status_code == 201, created.text
    view = CaseView.model_validate(created.json())
    assert view.id.startswith("C") and view.status == "received"
    assert [s.department for s in view.route] == [
        "employment_center",
        "social_insurance",
        "finance",
    ]
    assert all(s.status == "waiting" for s in view.route)
    assert created.headers["Location"] == f"/v1/cases/{view.id}"

    # The outbox resends (lost answer): same key, same body -> 200, the same case, no new row.
    replay = _submit(http, url, _workstation_token(http, url), _case(ref), key.upper())
    assert replay.status_code == 200
    assert CaseView.model_validate(replay.json()) == view
    assert _rows(central.db_path, key) == 1 and _rows(central.db_path) == 1

    fetched = http.get(f"{url}/v1/cases/{view.id}", headers=_bearer(token))
    assert fetched.status_code == 200 and CaseView.model_validate(fetched.json()) == view


def test_the_same_key_with_another_body_is_409(central, http, clerk):
    url, token, ref = clerk
    key = str(uuid.uuid4())
    assert _submit(http, url, token, _case(ref), key).status_code == 201

    other = _case(ref, form={**_case(ref)["form"], "amount": 2000})
    conflict = _submit(http, url, token, other, key)
    assert conflict.status_code == 409
    assert _error(conflict).error.code == "idempotency_conflict"
    assert _rows(central.db_path) == 1


@pytest.mark.parametrize(
    ("form_change", "fields"),
    [
        ({"insured_months": 6}, {"form.insured_months": "minimum"}),
        ({"reason_for_leaving": "bored"}, {"form.reason_for_leaving": "enum"}),
        ({"amount": "lots"}, {"form.amount": "type"}),
        ({"bank_account": "6222"}, {"form.bank_account": "additionalProperties"}),
        ({"last_employer": None, "insured_months": None}, None),
    ],
)
def test_a_form_failing_the_service_schema_is_422_with_fields(
    central, http, clerk, form_change, fields
):
    url, token, ref = clerk
    form = {**_case(ref)["form"], **form_change}
    form = {k: v for k, v in form.items() if v is not None}
    answer = _submit(http, url, token, _case(ref, form=form))
    assert answer.status_code == 422
    error = _error(answer).error
    assert error.code == "form_invalid"
    expected = fields or {"form.last_employer": "required", "form.insured_months": "required"}
    assert error.fields == expected
    assert _rows(central.db_path) == 0


@pytest.mark.parametrize(
    ("change", "code", "fields"),
    [
        ({"service": "space_travel"}, "unknown_service", {"service": "unknown_service"}),
        (
            {"citizen": {"person_ref": "Pwrong", **C01}},
            "case_invalid",
            {"citizen.person_ref": "mismatch"},
        ),
        (
            {"citizen": {"person_ref": None, "ssn": C01["ssn"], "card_no": "A10000029"}},
            "case_invalid",
            {"citizen.card_no": "card_not_found"},
        ),
        ({"clerk": "admin01"}, None, None),
        (
            {"identity": {"pin": "not_checked", "face": {"decision": "match"}}},
            "identity_insufficient",
            {"identity.pin": "pin_required"},
        ),
        (
            {"created_at": "2026-12-04T08:30:00"},
            "validation_failed",
            {"created_at": "timezone_aware"},
        ),
    ],
)
def test_cases_that_do_not_match_central_are_422(central, http, clerk, change, code, fields):
    url, _token, ref = clerk
    token = _workstation_token(http, url)
    answer = _submit(http, url, token, _case(ref, **change))
    assert answer.status_code == 422
    error = _error(answer).error
    if code is None:
        assert error.fields == {"clerk": "unknown_clerk"}
    else:
        assert (error.code, error.fields) == (code, fields)


def test_the_idempotency_key_is_required_and_must_be_a_uuid(central, http, clerk):
    url, token, ref = clerk
    missing = _submit(http, url, token, _case(ref), key=False)
    assert missing.status_code == 400
    assert _error(missing).error.code == "idempotency_key_missing"

    invalid = _submit(http, url, token, _case(ref), key="case-1")
    assert invalid.status_code == 400
    assert _error(invalid).error.code == "idempotency_key_invalid"
    assert _rows(central.db_path) == 0


def test_who_may_submit_what(central, http, clerk):
    url, clerk_token, ref = clerk

    # Staff submit only as themselves; an admin is not a clerk.
    as_other = _submit(http, url, clerk_token, _case(ref, clerk="super01"))
    assert as_other.status_code == 403 and _error(as_other).error.code == "clerk_mismatch"
    admin = _submit(http, url, _login(http, url, ADMIN), _case(ref, clerk="admin01"))
    assert admin.status_code == 403

    # A workstation submits only for itself and its hall.
    ws_token = _workstation_token(http, url)
    other_ws = _submit(http, url, ws_token, _case(ref, workstation_id="W02"))
    assert other_ws.status_code == 403 and _error(other_ws).error.code == "workstation_mismatch"
    other_hall = _submit(http, url, ws_token, _case(ref, hall_id="H0002"))
    assert other_hall.status_code == 403 and _error(other_hall).error.code == "hall_mismatch"
    assert _rows(central.db_path) == 0


def test_cases_over_the_amount_limit_need_a_supervisors_cosign(central, http, clerk):
    url, token, ref = clerk
    big = {**_case(ref)["form"], "amount": 6000}

    # Without a co-signature the case is parked for the hall's approval inbox.
    unsigned = _submit(http, url, token, _case(ref, form=big))
    assert unsigned.status_code == 201, unsigned.text
    assert unsigned.json()["status"] == "awaiting_approval"
    assert [a["status"] for a in unsigned.json()["approvals"]] == ["pending"]

    # A co-signature inside the case is checked like an approval: 403 for the clerk's own
    # signature and for a co-signer without the supervisor role.
    cosign = {"supervisor": "clerk01", "reason": "核对无误", "at": "2026-12-04T08:31:00Z"}
    own = _submit(http, url, token, _case(ref, form=big, cosign=cosign))
    assert own.status_code == 403 and _error(own).error.code == "self_approval"
    cosign["supervisor"] = "admin01"
    admin = _submit(http, url, token, _case(ref, form=big, cosign=cosign))
    assert admin.status_code == 403 and _error(admin).error.fields == {
        "cosign.supervisor": "not_supervisor"
    }

    cosign["supervisor"] = "super01"
    signed = _submit(http, url, token, _case(ref, form=big, cosign=cosign))
    assert signed.status_code == 201, signed.text
    assert signed.json()["status"] == "received"
    assert signed.json()["approvals"][0]["decided_by"] == "super01"


def test_concurrent_submissions_with_one_key_make_one_case(central, http, clerk):
    url, token, ref = clerk
    key = str(uuid.uuid4())
    body = _case(ref)
    barrier = threading.Barrier(8)
    statuses: list[int] = []
    ids: list[str] = []
    lock = threading.Lock()

    def send() -> None:
        with requests.Session() as own:
            own.trust_env = False
            barrier.wait()
            answer = _submit(own, url, token, body, key)
        with lock:
            statuses.append(answer.status_code)
            ids.append(answer.json().get("id"))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] * 7 + [201]
    assert len(set(ids)) == 1
    assert _rows(central.db_path) == 1


def test_cases_advance_along_the_route_on_request(central, http, clerk):
    url, token, ref = clerk
    case_id = _submit(http, url, token, _case(ref)).json()["id"]
    admin = _login(http, url, ADMIN)

    refused = http.post(f"{url}/v1/admin/cases/{case_id}/advance", headers=_bearer(token))
    assert refused.status_code == 403

    seen = []
    for _ in range(4):
        answer = http.post(f"{url}/v1/admin/cases/{case_id}/advance", headers=_bearer(admin))
        assert answer.status_code == 200
        view = CaseView.model_validate(answer.json())
        seen.append((view.status, [s.status for s in view.route]))
    assert seen == [
        ("in_progress", ["in_progress", "waiting", "waiting"]),
        ("in_progress", ["done", "in_progress", "waiting"]),
        ("in_progress", ["done", "done", "in_progress"]),
        ("completed", ["done", "done", "done"]),
    ]
    assert all(s.started_at and s.finished_at for s in view.route)

    closed = http.post(f"{url}/v1/admin/cases/{case_id}/advance", headers=_bearer(admin))
    assert closed.status_code == 409 and _error(closed).error.code == "case_closed"

    missing = http.get(f"{url}/v1/cases/C19990101000001", headers=_bearer(token))
    assert missing.status_code == 404 and _error(missing).error.code == "case_not_found"

    listed = http.get(f"{url}/v1/cases", params={"status": "completed"}, headers=_bearer(token))
    assert [c["id"] for c in listed.json()["cases"]] == [case_id]


def test_cases_advance_on_their_own(tmp_path, http):
    with EmbeddedSandbox(tmp_path / "central.db", SEED, advance_seconds=0.05) as central:
        token = _login(http, central.url, CLERK)
        ref = _lookup(http, central.url, token, C01).json()["person_ref"]
        case_id = _submit(http, central.url, token, _case(ref)).json()["id"]

        status = None
        deadline = time.monotonic() + 30
        while status != "completed" and time.monotonic() < deadline:
            time.sleep(0.05)
            answer = http.get(f"{central.url}/v1/cases/{case_id}", headers=_bearer(token))
            status = answer.json()["status"]
        assert status == "completed"
        assert [s["status"] for s in answer.json()["route"]] == ["done"] * 3


def test_unknown_routes_and_methods_answer_in_the_error_shape(central, http):
    missing = http.get(f"{central.url}/v1/nothing-here")
    assert missing.status_code == 404 and _error(missing).error.code == "not_found"
    wrong = http.delete(f"{central.url}/v1/auth/login")
    assert wrong.status_code == 405 and _error(wrong).error.code == "method_not_allowed"
    garbage = http.post(
        f"{central.url}/v1/auth/login",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert garbage.status_code == 422 and _error(garbage).error.fields == {"body": "json_invalid"}


def test_logs_hold_no_personal_data_or_secrets(central, http, clerk, caplog):
    url, token, ref = clerk
    caplog.set_level(logging.DEBUG)
    lookup = _lookup(http, url, token, C03)
    http.get(f"{url}/v1/persons/{lookup.json()['person_ref']}/face", headers=_bearer(token))
    _submit(http, url, token, _case(ref))
    _submit(http, url, token, _case(ref, form={"amount": "x"}))
    http.post(f"{url}/v1/auth/login", json={"username": "clerk01", "password": "wrong-pw-123"})

    # The server's own records (the client's urllib3 lines print URLs with the person_ref).
    ours = [r for r in caplog.records if r.name.startswith(("sandbox", "uvicorn"))]
    text = "\n".join(r.getMessage() for r in ours)
    assert "POST /v1/cases -> 201" in text
    assert "GET /v1/persons/{person_ref}/face -> 200" in text
    for secret in (
        C01["ssn"],
        C01["card_no"],
        C03["ssn"],
        "张伟明",
        "阿依古丽",
        token,
        CLERK[1],
        "wrong-pw-123",
        lookup.json()["person_ref"],
    ):
        assert secret not in text
