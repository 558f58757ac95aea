"""CentralClient over real HTTP against a scripted server on 127.0.0.1."""

from __future__ import annotations

import json
import socket

import pytest
from test_sync_helpers import Reply, ScriptedCentral, case_view, error

from desktop.central import (
    CentralAuthError,
    CentralClient,
    CentralError,
    CentralRejectedError,
    CentralUnavailableError,
)


@pytest.fixture
def central():
    with ScriptedCentral() as server:
        yield server


@pytest.fixture
def client(central):
    c = CentralClient(central.url, timeout=2)
    yield c
    c.close()


def test_submit_sends_the_key_and_canonical_body(central, client):
    central.script("POST", "/v1/cases", Reply(201, case_view("W01-1", "C-9")))
    status, view = client.submit_case("tok", b'{"a":1}', "key-1")
    assert status == 201 and view.id == "C-9"
    [seen] = central.requests_to("POST", "/v1/cases")
    assert seen.headers["Idempotency-Key"] == "key-1"
    assert seen.headers["Authorization"] == "Bearer tok"
    assert seen.body == b'{"a":1}'


@pytest.mark.parametrize("status", [403, 409, 422])
def test_permanent_refusals_come_back_as_error_bodies(central, client, status):
    central.script(
        "POST", "/v1/cases", Reply(status, error("bad", "no", {"form.amount": "too_large"}))
    )
    got, body = client.submit_case("tok", b"{}", "k")
    assert got == status
    assert body.error.code == "bad" and body.error.fields == {"form.amount": "too_large"}


def test_statuses_map_to_the_exception_family(central, client):
    central.script("POST", "/v1/cases", Reply(401, error("token_expired")))
    with pytest.raises(CentralAuthError):
        client.submit_case("tok", b"{}", "k")

    central.script("POST", "/v1/cases", Reply(429, error("slow_down"), {"Retry-After": "12"}))
    with pytest.raises(CentralUnavailableError) as info:
        client.submit_case("tok", b"{}", "k")
    assert info.value.retry_after == 12.0 and info.value.status == 429

    central.script("POST", "/v1/cases", Reply(503, b"<html>down</html>"))
    with pytest.raises(CentralUnavailableError) as info:
        client.submit_case("tok", b"{}", "k")
    assert info.value.code == "http_503"

    central.script("POST", "/v1/cases", Reply(201, b"{not json"))
    with pytest.raises(CentralError) as info:
        client.submit_case("tok", b"{}", "k")
    assert info.value.code == "bad_response" and not isinstance(
        info.value, CentralUnavailableError | CentralRejectedError
    )

    central.script("POST", "/v1/cases", Reply(201, {"id": 5}))
    with pytest.raises(CentralError) as info:
        client.submit_case("tok", b"{}", "k")
    assert info.value.code == "bad_response"

    central.script("POST", "/v1/cases", Reply(302, b"", {"Location": "http://127.0.0.1:1/"}))
    with pytest.raises(CentralError) as info:
        client.submit_case("tok", b"{}", "k")
    assert info.value.code == "unexpected_status"


def test_timeouts_and_closed_ports_are_unavailable(central):
    central.script("GET", "/v1/services", Reply(200, [], delay=1.0))
    slow = CentralClient(central.url, timeout=0.2)
    with pytest.raises(CentralUnavailableError) as info:
        slow.services()
    assert info.value.code == "timeout"
    slow.close()

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = CentralClient(f"http://127.0.0.1:{port}", timeout=1)
    with pytest.raises(CentralUnavailableError) as info:
        closed.workstation_login("W01", "x")
    assert info.value.code == "network_error"
    closed.close()


def test_services_etag_and_304(central, client):
    central.script("GET", "/v1/services", Reply(304), Reply(304))
    services, etag = client.services("tok", etag='"v1"')
    assert services is None and etag == '"v1"'
    assert central.requests_to("GET", "/v1/services")[0].headers["If-None-Match"] == '"v1"'


def test_face_reference_must_be_an_image(central, client):
    central.script("GET", "/v1/persons/P1/face", Reply(200, b"GIF89a...", {"Content-Type": "x"}))
    with pytest.raises(CentralError) as info:
        client.face_reference("tok", "P1")
    assert info.value.code == "bad_response"
    with pytest.raises(ValueError):
        client.face_reference("tok", "../admin")


def test_call_json_sends_the_body_and_maps_errors_like_every_call(central, client):
    from desktop.contract import ErrorBody

    central.script("POST", "/v1/things?x=1", Reply(200, {"ok": True}))
    assert client.call_json("POST", "/v1/things?x=1", token="tok", body={"a": "甲"}) == {"ok": True}
    [seen] = central.requests_to("POST", "/v1/things?x=1")
    assert seen.headers["Authorization"] == "Bearer tok"
    assert seen.headers["Content-Type"] == "application/json"
    assert json.loads(seen.body) == {"a": "甲"}

    # Parsed into a model; a body that does not fit it is bad_response, never echoed.
    central.script("GET", "/v1/err", Reply(200, error("some_code", "text")))
    parsed = client.call_json("GET", "/v1/err", token="tok", model=ErrorBody)
    assert parsed.error.code == "some_code"
    central.script("GET", "/v1/bad", Reply(200, b"<html>", {"Content-Type": "text/html"}))
    with pytest.raises(CentralError) as info:
        client.call_json("GET", "/v1/bad", token="tok")
    assert info.value.code == "bad_response"
    with pytest.raises(CentralError) as info:
        client.call_json("GET", "/v1/bad", token="tok", model=ErrorBody)
    assert info.value.code == "bad_response"

    central.script("GET", "/v1/r", Reply(422, error("form_invalid", "no", {"f": "bad"})))
    with pytest.raises(CentralRejectedError) as rejected:
        client.call_json("GET", "/v1/r", token="tok")
    assert rejected.value.fields == {"f": "bad"}
    central.script("GET", "/v1/a", Reply(401, error("token_expired")))
    with pytest.raises(CentralAuthError):
        client.call_json("GET", "/v1/a", token="tok")
    central.script("GET", "/v1/u", Reply(503, error("down"), {"Retry-After": "7"}))
    with pytest.raises(CentralUnavailableError) as unavailable:
        client.call_json("GET", "/v1/u", token="tok")
    assert unavailable.value.retry_after == 7.0


def test_staff_face_reference_is_checked_like_a_citizen_photo(central, client):
    central.script("GET", "/v1/staff/clerk01/face", Reply(200, b"\xff\xd8\xff\xe0jpeg"))
    assert client.staff_face_reference("tok", "clerk01").startswith(b"\xff\xd8")
    central.script("GET", "/v1/staff/clerk02/face", Reply(200, b"text"))
    with pytest.raises(CentralError) as info:
        client.staff_face_reference("tok", "clerk02")
    assert info.value.code == "bad_response"
    with pytest.raises(ValueError):
        client.staff_face_reference("tok", "../x")
