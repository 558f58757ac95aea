"""The kiosk's calls to central (desktop/kiosk.py) against the sandbox's kiosk router, over HTTP.

No Qt: the router (sandbox/kiosk.py) is mounted on the real sandbox app, served on loopback by
the embedded sandbox, and KioskServices talks to it through the Desk's CentralClient.
"""

from __future__ import annotations

from datetime import date

import pytest

from desktop.central import CentralClient
from desktop.errors import DeskError
from desktop.kiosk import (
    ContributionRecords,
    IssuedDocument,
    KioskOptions,
    KioskServices,
    document_payload,
    load_kiosk_options,
    parse_document_payload,
)
from desktop.settings import SettingsError


@pytest.fixture
def services(kiosk_central):
    settings = kiosk_central.settings
    client = CentralClient(settings.central_url)
    kiosk = KioskServices(client, settings)
    kiosk.start()
    yield kiosk
    kiosk.stop()
    client.close()


def person_ref(kiosk_central, seed, cid: str) -> str:
    settings = kiosk_central.settings
    citizen = next(c for c in seed["citizens"] if c["id"] == cid)
    client = CentralClient(settings.central_url)
    try:
        token = client.workstation_login(settings.workstation_id, settings.workstation_secret)
        return client.lookup_person(token.token, citizen["ssn"], citizen["card_no"]).person_ref
    finally:
        client.close()


def test_contribution_records_are_plausible_and_stable(services, kiosk_central, seed):
    ref = person_ref(kiosk_central, seed, "c02")  # 李秀兰, a woman born in 1955: retired
    records = services.contributions(ref).result(30)
    again = services.contributions(ref).result(30)
    assert isinstance(records, ContributionRecords)
    assert records == again  # the same person gets the same record every time
    assert records.status == "receiving"
    assert records.years[0].year >= 1993 and records.years[-1].year == 2010  # retired at 55
    assert records.total_months == sum(y.months for y in records.years) > 100
    for year in records.years:
        if year.months:
            assert year.personal == pytest.approx(year.base * year.months * 0.08, abs=0.01)

    young = services.contributions(person_ref(kiosk_central, seed, "c05")).result(30)
    assert young.status == "contributing"
    assert young.years[-1].year <= date.today().year


def test_documents_are_numbered_and_verifiable(services, kiosk_central, seed):
    ref = person_ref(kiosk_central, seed, "c01")
    certificate = services.issue_document(ref, "certificate").result(30)
    assert isinstance(certificate, IssuedDocument)
    assert certificate.number.startswith("ZM")
    assert certificate.holder.name == "张伟明"
    assert certificate.hall_name == "培训服务大厅"
    assert {line.kind for line in certificate.insurances} == {
        "pension",
        "medical",
        "unemployment",
    }
    assert "张伟明" not in repr(certificate)
    statement = services.issue_document(ref, "contributions").result(30)
    assert statement.number.startswith("JF") and statement.contributions is not None
    assert statement.number != certificate.number

    payload = document_payload(certificate.number, certificate.verification)
    assert parse_document_payload(payload) == (certificate.number, certificate.verification)
    check = services.check_document(*parse_document_payload(payload)).result(30)
    assert check.valid and check.number == certificate.number
    assert check.holder_masked == "张**"

    with pytest.raises(DeskError) as wrong:
        services.check_document(certificate.number, "WRONGCODE2").result(30)
    assert wrong.value.code == "document_not_found"


def test_unknown_person_and_staff_calls(services, kiosk_central):
    with pytest.raises(DeskError) as unknown:
        services.contributions("no-such-person").result(30)
    assert unknown.value.code == "person_not_found"

    call = services.call_staff("pin").result(30)
    assert call.id.startswith("A")


def test_admin_sign_in_needs_the_admin_role(services, seed):
    passwords = {s["username"]: s["password"] for s in seed["staff"]}
    assert services.admin_sign_in("admin01", passwords["admin01"]).result(30) == "admin01"
    with pytest.raises(DeskError) as clerk:
        services.admin_sign_in("clerk01", passwords["clerk01"]).result(30)
    assert clerk.value.code == "not_admin"
    with pytest.raises(DeskError) as wrong:
        services.admin_sign_in("admin01", "not-the-password").result(30)
    assert wrong.value.code == "sign_in_failed"


def test_stopped_services_fail_at_once(kiosk_central):
    client = CentralClient(kiosk_central.settings.central_url)
    kiosk = KioskServices(client, kiosk_central.settings)
    try:
        with pytest.raises(DeskError) as stopped:
            kiosk.contributions("x").result(1)
        assert stopped.value.code == "desk_stopped"
    finally:
        client.close()


def test_kiosk_options(tmp_path):
    assert load_kiosk_options(tmp_path / "missing.toml") == KioskOptions()
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nidle_seconds = 30\nkeypad = "shuffled"\nspeech = false\n')
    options = load_kiosk_options(path)
    assert (options.idle_seconds, options.keypad, options.speech) == (30.0, "shuffled", False)
    for text, key in (
        ('[kiosk]\nkeypad = "random"\n', "kiosk.keypad"),
        ("[kiosk]\nidle_seconds = 1\n", "kiosk.idle_seconds"),
        ("[kiosk]\nspeech = 1\n", "kiosk.speech"),
        ("[kiosk]\nvolume = 3\n", "kiosk.volume"),
        ("[desk]\nx = 1\n", "desk"),
    ):
        path.write_text(text)
        with pytest.raises(SettingsError) as error:
            load_kiosk_options(path)
        assert error.value.key == key
