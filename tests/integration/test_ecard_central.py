"""The e-card call to central over real HTTP: ``POST /v1/ecard/verify`` through the desk's
``CentralClient``, against a small server of this test's own on loopback, which can give every
answer the contract allows (docs/card.md); test_sandbox_ecard.py runs it against the sandbox."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from desktop.central import CentralClient, CentralError, CentralUnavailableError
from desktop.ecard import EcardError, EcardPayload, verify_ecard

PAYLOAD = "HC1:ecard-8e1D4c7B2a9F0e3D6c5B8a1F4e7D0c3B6a9F2e5D8c1B4a7F0e3D"
TOKEN = "staff-token-123"
PERSON = {
    "person_ref": "P-0001",
    "name": "张伟明",
    "birth_date": "1962-10-15",
    "card_status": "normal",
    "ssn": "110105196210150016",
    "card_no": "A10000011",
}


class CentralStandIn(BaseHTTPRequestHandler):
    """Answers POST /v1/ecard/verify as the contract says; records what it received."""

    received: ClassVar[list[dict]] = []
    answers: ClassVar[dict[str, tuple[int, bytes]]] = {}

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        self.received.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "body": body,
             "type": self.headers.get("Content-Type")}
        )  # fmt: skip
        status, content = self.answers.get(body.get("payload"), (200, json.dumps(PERSON).encode()))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def central():
    CentralStandIn.received = []
    CentralStandIn.answers = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), CentralStandIn)
    thread = threading.Thread(target=server.serve_forever, name="central-stand-in")
    thread.start()
    client = CentralClient(f"http://127.0.0.1:{server.server_address[1]}", timeout=5)
    yield client, CentralStandIn
    client.close()
    server.shutdown()
    server.server_close()
    thread.join()


def error_body(code: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": code, "fields": {}}}).encode()


def test_verified_payload_gives_the_person(central, caplog):
    caplog.set_level(logging.DEBUG)
    client, server = central
    person = verify_ecard(client, TOKEN, EcardPayload(PAYLOAD))
    assert (person.person_ref, person.name, person.card_status) == ("P-0001", "张伟明", "normal")
    assert person.birth_date.isoformat() == "1962-10-15"
    assert (person.ssn, person.card_no) == ("110105196210150016", "A10000011")
    (request,) = server.received
    assert request["path"] == "/v1/ecard/verify" and request["body"] == {"payload": PAYLOAD}
    assert request["auth"] == f"Bearer {TOKEN}" and request["type"] == "application/json"
    # Neither the payload nor the person reaches the log or a repr.
    assert PAYLOAD not in caplog.text and "110105196210150016" not in caplog.text
    assert "110105196210150016" not in repr(person) and "张伟明" not in repr(person)


def test_lookup_shaped_answer_without_card_data(central):
    client, server = central
    lookup = {k: PERSON[k] for k in ("person_ref", "name", "birth_date", "card_status")}
    server.answers[PAYLOAD] = (200, json.dumps(lookup).encode())
    person = verify_ecard(client, TOKEN, EcardPayload(PAYLOAD))
    assert person.person_ref == "P-0001" and person.ssn is None and person.card_no is None


@pytest.mark.parametrize(("status", "code"), [(422, "ecard_expired"), (404, "ecard_unknown")])
def test_refused_payloads(central, status, code):
    client, server = central
    server.answers[PAYLOAD] = (status, error_body(code))
    with pytest.raises(EcardError) as info:
        verify_ecard(client, TOKEN, EcardPayload(PAYLOAD))
    assert info.value.code == "ecard_rejected" and info.value.reason == code
    assert PAYLOAD not in str(info.value)


def test_central_down_or_confused(central):
    client, server = central
    server.answers[PAYLOAD] = (503, error_body("maintenance"))
    with pytest.raises(CentralUnavailableError):
        verify_ecard(client, TOKEN, EcardPayload(PAYLOAD))
    for content in (b"not json", b"[]", json.dumps({"person_ref": "P-1"}).encode()):
        server.answers[PAYLOAD] = (200, content)
        with pytest.raises(CentralError) as info:
            verify_ecard(client, TOKEN, EcardPayload(PAYLOAD))
        assert info.value.code == "bad_response"
