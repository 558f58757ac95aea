"""The kiosk's printouts as PDF: text a reader extracts, the CJK font embedded, the QR decoded.

The documents are issued by the sandbox's kiosk router (over HTTP, as the kiosk does) and laid
out by ui/qt/kiosk/documents.py; kiosk_pdf.py reads them back with other code (PDFium, OpenCV).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from kiosk_pdf import pdf_page_count, pdf_qr_payloads, pdf_text

from desktop.central import CentralClient
from desktop.kiosk import KioskServices, case_payload, parse_document_payload


@pytest.fixture
def services(kiosk_central):
    settings = kiosk_central.settings
    client = CentralClient(settings.central_url)
    kiosk = KioskServices(client, settings)
    kiosk.start()
    yield kiosk
    kiosk.stop()
    client.close()


def person_ref(kiosk_central, citizen: dict) -> str:
    settings = kiosk_central.settings
    client = CentralClient(settings.central_url)
    try:
        token = client.workstation_login(settings.workstation_id, settings.workstation_secret)
        return client.lookup_person(token.token, citizen["ssn"], citizen["card_no"]).person_ref
    finally:
        client.close()


def embedded_fonts(pdf: bytes) -> list[str]:
    """The names of the fonts a PDF embeds (a FontDescriptor with a font file)."""
    names = []
    for match in re.finditer(rb"/FontName\s*/([^\s/>]+)(.{0,400}?)>>", pdf, re.S):
        if b"/FontFile" in match.group(2):
            names.append(match.group(1).decode("latin-1"))
    return names


def test_certificate_pdf_reads_back(qapp, languages, services, kiosk_central, seed):
    from ui.qt.kiosk.documents import certificate_content, render_pdf

    c03 = next(c for c in seed["citizens"] if c["id"] == "c03")  # the 16-character name
    document = services.issue_document(person_ref(kiosk_central, c03), "certificate").result(30)
    content = certificate_content(document, training_mark="培训模式 / TRAINING")
    assert c03["name"] not in repr(content)  # never in a log line or a traceback
    pdf = render_pdf(content)

    assert pdf.startswith(b"%PDF-") and pdf_page_count(pdf) == 1
    text = pdf_text(pdf)
    for expected in (
        "社会保险参保证明",
        f"证明编号: {document.number}",
        c03["name"],
        c03["ssn"],
        "女",
        "城镇职工基本养老保险",
        "培训模式 / TRAINING",
        f"验证码 {document.verification}",
    ):
        assert expected in text, expected
    # The Chinese font travels inside the file (a subset), so any printer renders it.
    fonts = embedded_fonts(pdf)
    assert any("WenQuanYi" in name or "Noto" in name for name in fonts), fonts

    (payload,) = pdf_qr_payloads(pdf)
    assert parse_document_payload(payload) == (document.number, document.verification)
    check = services.check_document(*parse_document_payload(payload)).result(30)
    assert check.valid and check.kind == "certificate"
    assert check.holder_masked.startswith(c03["name"][0]) and c03["name"] not in check.holder_masked


def test_statement_pdf_in_english(qapp, languages, services, kiosk_central, seed):
    from ui.qt.kiosk.documents import render_pdf, statement_content

    c02 = next(c for c in seed["citizens"] if c["id"] == "c02")
    document = services.issue_document(person_ref(kiosk_central, c02), "contributions").result(30)
    languages.set_language("en")
    pdf = render_pdf(statement_content(document))
    text = pdf_text(pdf)
    assert "Pension contribution statement" in text
    assert f"Statement number: {document.number}" in text
    assert "receiving benefits (retired)" in text
    rows = set(re.findall(r"^(\d{4}) \d+ ", text, re.M))
    years = {str(line.year) for line in document.contributions.years}
    assert rows == years  # every year on the page, one row each
    assert "TRAINING" not in text  # no training mark when none is given
    (payload,) = pdf_qr_payloads(pdf)
    assert parse_document_payload(payload)[0] == document.number

    # A long working life does not fit: the most recent years, and a note about the others.
    c01 = next(c for c in seed["citizens"] if c["id"] == "c01")
    longer = services.issue_document(person_ref(kiosk_central, c01), "contributions").result(30)
    text = pdf_text(render_pdf(statement_content(longer)))
    rows = re.findall(r"^(\d{4}) \d+ ", text, re.M)
    assert "Earlier years: ask at a service window." in text
    assert rows[-1] == str(longer.contributions.years[-1].year)
    assert len(rows) < len(longer.contributions.years)
    assert pdf_page_count(render_pdf(statement_content(longer))) == 1


def test_receipt_pdf_carries_the_case_number(qapp, languages):
    from ui.qt.kiosk.documents import receipt_content, render_pdf

    content = receipt_content(
        service_name={"zh_CN": "养老保险待遇资格认证", "en": "Pension entitlement certification"},
        local_id="W01-20261204-0007",
        hall_id="H0001",
        workstation_id="W01",
        name="**明",
        issued_at=datetime(2026, 12, 4, 2, 30, tzinfo=UTC),
        training_mark="培训模式 / TRAINING",
    )
    pdf = render_pdf(content)
    text = pdf_text(pdf)
    assert "业务受理回执" in text and "业务编号: W01-20261204-0007" in text
    assert "养老保险待遇资格认证" in text and "**明" in text
    assert pdf_qr_payloads(pdf) == [case_payload("H0001", "W01", "W01-20261204-0007")]


def test_a_payload_the_classic_detector_misses_still_reads_back(qapp, languages):
    # A real verification code that OpenCV's classic QR detector cannot find on the page; a
    # phone's reader can, and so must the tests (the test failed about once in a hundred runs).
    import dataclasses

    from desktop.kiosk import document_payload
    from ui.qt.kiosk.documents import receipt_content, render_pdf

    payload = document_payload("D20261204000002", "oeax3SWalCRZLCkL")
    content = receipt_content(
        service_name={"zh_CN": "养老保险待遇资格认证", "en": "Pension entitlement certification"},
        local_id="W01-20261204-0001",
        hall_id="H0001",
        workstation_id="W01",
        name="**明",
        issued_at=datetime(2026, 12, 4, 2, 30, tzinfo=UTC),
        training_mark=None,
    )
    pdf = render_pdf(dataclasses.replace(content, qr_payload=payload))
    assert pdf_qr_payloads(pdf) == [payload]
