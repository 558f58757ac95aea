"""``POST /v1/ecard/verify`` on the sandbox central over real HTTP, and the desk's client
against it: every seeded citizen's training e-card, unknown and malformed payloads in the
ErrorBody shape, and no payload in the database or the log."""

from __future__ import annotations

import json
import logging
import sqlite3

import pytest
import requests

from desktop.central import CentralClient
from desktop.contract import EcardVerifyResponse, ErrorBody
from desktop.ecard import EcardError, EcardPayload, verify_ecard
from desktop.resources import resource_path
from sandbox.server import EmbeddedSandbox

SEED_PATH = resource_path("sandbox", "seed.json")
SEED = json.loads(SEED_PATH.read_text(encoding="utf-8"))
PATH = "/v1/ecard/verify"


@pytest.fixture
def central(tmp_path):
    sandbox = EmbeddedSandbox(tmp_path / "central.db", SEED_PATH, advance_seconds=0)
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def http():
    with requests.Session() as session:
        session.trust_env = False
        yield session


def token(http, url) -> str:
    answer = http.post(
        f"{url}/v1/auth/login", json={"username": "clerk01", "password": "clerk01-training"}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def test_every_seeded_citizen_has_a_working_ecard(central, http, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    bearer = {"Authorization": f"Bearer {token(http, central.url)}"}
    payloads = []
    for citizen in SEED["citizens"]:
        payload = citizen["ecard_payload"]
        payloads.append(payload)
        answer = http.post(f"{central.url}{PATH}", json={"payload": payload}, headers=bearer)
        assert answer.status_code == 200, answer.text
        person = EcardVerifyResponse.model_validate(answer.json())
        assert (person.ssn, person.card_no, person.name) == (
            citizen["ssn"],
            citizen["card_no"],
            citizen["name"],
        )
        lookup = http.post(
            f"{central.url}/v1/persons/lookup",
            json={"ssn": citizen["ssn"], "card_no": citizen["card_no"]},
            headers=bearer,
        ).json()
        assert lookup == {k: answer.json()[k] for k in lookup}  # the same answer as a card
    assert len(set(payloads)) == len(payloads) == 5
    # Central keeps a digest, never the payload; the log has neither.
    raw = (tmp_path / "central.db").read_bytes()
    with sqlite3.connect(tmp_path / "central.db") as db:
        digests = [row[0] for row in db.execute("SELECT digest FROM ecard_codes")]
    assert len(digests) == 5
    for payload in payloads:
        assert payload.encode() not in raw
        assert payload not in caplog.text


def test_unknown_and_malformed_payloads(central, http):
    bearer = {"Authorization": f"Bearer {token(http, central.url)}"}
    unknown = http.post(
        f"{central.url}{PATH}", json={"payload": "HCE1.no-such-code-0000000000"}, headers=bearer
    )
    assert unknown.status_code == 404
    assert ErrorBody.model_validate(unknown.json()).error.code == "ecard_unknown"
    for body in ({"payload": ""}, {"payload": "with spaces in it ......"}, {}, {"payload": 7}):
        answer = http.post(f"{central.url}{PATH}", json=body, headers=bearer)
        assert answer.status_code == 422, body
        error = ErrorBody.model_validate(answer.json()).error
        assert error.code == "validation_failed" and "payload" in error.fields
    too_long = http.post(f"{central.url}{PATH}", json={"payload": "A" * 4097}, headers=bearer)
    assert too_long.status_code == 422
    assert "A" * 100 not in too_long.text  # the input is never echoed
    anonymous = http.post(f"{central.url}{PATH}", json={"payload": "HCE1.x" * 4})
    assert anonymous.status_code == 401


def test_desk_client_against_the_sandbox(central, http):
    client = CentralClient(central.url, timeout=10)
    try:
        staff = token(http, central.url)
        c03 = next(c for c in SEED["citizens"] if c["id"] == "c03")
        person = verify_ecard(client, staff, EcardPayload(c03["ecard_payload"]))
        assert (person.ssn, person.card_no) == (c03["ssn"], c03["card_no"])
        with pytest.raises(EcardError) as info:
            verify_ecard(client, staff, EcardPayload("HCE1.unknown-code-123456"))
        assert info.value.reason == "ecard_unknown"
    finally:
        client.close()
