"""The kiosk's printouts: the case receipt, the insurance certificate, the contribution statement.

A :class:`DocumentContent` is what one printout says (already translated); :func:`render_pdf`
lays it out on an A4 page with QPdfWriter — the CJK font embedded, the document number, and a
QR verification code (``desktop.kiosk.document_payload``) — and returns the PDF as bytes, in
memory. :class:`DocumentPrinter` paints the same page onto the system's default printer (or the
one the hall names) on its own thread.

Nothing here writes a file: an unattended kiosk must not leave personal data on its disk. With
no printer the printer says so (``PrintError("no_printer")``) and the kiosk sends the citizen to
a service window; it never falls back to saving the PDF.

In training mode every printout carries the 培训模式 / TRAINING mark across the top.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from desktop.kiosk import (
    ContributionRecords,
    IssuedDocument,
    case_payload,
    document_payload,
)
from ui.qt.fonts import find_cjk_family
from ui.qt.i18n import localized

log = logging.getLogger(__name__)

RESOLUTION = 300  # dots per inch of the PDF's coordinate system
QR_BORDER = 4  # quiet-zone modules, as ISO/IEC 18004 asks


class PrintError(Exception):
    """Printing failed; ``code`` is ``no_printer`` or ``print_failed``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class DocumentContent:
    """One printout, already in the reader's language.

    ``lines`` are label/value pairs under the title; ``table`` an optional header row and body
    rows; ``qr_payload`` the text of the verification code; ``training_mark`` the training
    words, or "" outside training.
    """

    title: str
    number_label: str
    number: str
    lines: tuple[tuple[str, str], ...]
    qr_payload: str
    qr_caption: str
    footer: str
    table: tuple[tuple[str, ...], ...] = ()
    training_mark: str = ""
    notes: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:  # the lines hold personal data: never in a log or a traceback
        return f"DocumentContent(number={self.number!r})"


# --- building the content ------------------------------------------------------------------


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _date(value) -> str:
    return value.isoformat() if value is not None else "—"


def insurance_kind_text(kind: str) -> str:
    """Name of an insurance kind."""
    texts = {
        "pension": QCoreApplication.translate(
            "KioskDocuments", "Basic pension insurance for urban employees"
        ),
        "medical": QCoreApplication.translate(
            "KioskDocuments", "Basic medical insurance for urban employees"
        ),
        "unemployment": QCoreApplication.translate("KioskDocuments", "Unemployment insurance"),
    }
    return texts.get(kind, kind)


def insurance_status_text(status: str) -> str:
    """Name of an insurance status."""
    texts = {
        "contributing": QCoreApplication.translate("KioskDocuments", "insured, contributing"),
        "receiving": QCoreApplication.translate("KioskDocuments", "receiving benefits (retired)"),
        "ended": QCoreApplication.translate("KioskDocuments", "ended"),
        "none": QCoreApplication.translate("KioskDocuments", "not insured"),
    }
    return texts.get(status, status)


def _sex_text(sex: str | None) -> str:
    if sex == "1":
        return QCoreApplication.translate("KioskDocuments", "male")
    if sex == "2":
        return QCoreApplication.translate("KioskDocuments", "female")
    return "—"


def _common_footer(issued_at: datetime, hall: str) -> str:
    return QCoreApplication.translate(
        "KioskDocuments", "Issued by {hall} on {date}. Scan the code to check this document."
    ).format(hall=hall, date=issued_at.astimezone().strftime("%Y-%m-%d %H:%M"))


def contribution_table(records: ContributionRecords) -> tuple[tuple[str, ...], ...]:
    """Header and rows of a contribution record (year, months, base, the two shares)."""
    header = (
        QCoreApplication.translate("KioskDocuments", "Year"),
        QCoreApplication.translate("KioskDocuments", "Months"),
        QCoreApplication.translate("KioskDocuments", "Monthly base (CNY)"),
        QCoreApplication.translate("KioskDocuments", "Personal (CNY)"),
        QCoreApplication.translate("KioskDocuments", "Employer (CNY)"),
    )
    rows = tuple(
        (str(y.year), str(y.months), _money(y.base), _money(y.personal), _money(y.employer))
        for y in records.years
    )
    return (header, *rows)


def certificate_content(document: IssuedDocument, *, training_mark: str = "") -> DocumentContent:
    """The insurance certificate (参保证明) of an issued document."""
    holder = document.holder
    lines = [
        (QCoreApplication.translate("KioskDocuments", "Name"), holder.name),
        (QCoreApplication.translate("KioskDocuments", "ID number"), holder.ssn),
        (QCoreApplication.translate("KioskDocuments", "Sex"), _sex_text(holder.sex)),
        (QCoreApplication.translate("KioskDocuments", "Date of birth"), _date(holder.birth_date)),
    ]
    for line in document.insurances:
        lines.append(
            (
                insurance_kind_text(line.kind),
                QCoreApplication.translate(
                    "KioskDocuments", "{status}; since {since}; {months} months"
                ).format(
                    status=insurance_status_text(line.status),
                    since=_date(line.since),
                    months=line.months,
                ),
            )
        )
    return DocumentContent(
        title=QCoreApplication.translate("KioskDocuments", "Social insurance certificate"),
        number_label=QCoreApplication.translate("KioskDocuments", "Certificate number"),
        number=document.number,
        lines=tuple(lines),
        qr_payload=document_payload(document.number, document.verification),
        qr_caption=QCoreApplication.translate("KioskDocuments", "Verification code {code}").format(
            code=document.verification
        ),
        footer=_common_footer(document.issued_at, document.hall_name),
        notes=(
            QCoreApplication.translate(
                "KioskDocuments",
                "This certifies the holder's social insurance as recorded on the date of issue.",
            ),
        ),
        training_mark=training_mark,
    )


def statement_content(document: IssuedDocument, *, training_mark: str = "") -> DocumentContent:
    """The pension contribution statement of an issued document."""
    records = document.contributions
    holder = document.holder
    lines = [
        (QCoreApplication.translate("KioskDocuments", "Name"), holder.name),
        (QCoreApplication.translate("KioskDocuments", "ID number"), holder.ssn),
    ]
    table: tuple[tuple[str, ...], ...] = ()
    if records is not None:
        lines += [
            (
                QCoreApplication.translate("KioskDocuments", "Status"),
                insurance_status_text(records.status),
            ),
            (
                QCoreApplication.translate("KioskDocuments", "Insured since"),
                _date(records.insured_since),
            ),
            (
                QCoreApplication.translate("KioskDocuments", "Months paid in total"),
                str(records.total_months),
            ),
            (QCoreApplication.translate("KioskDocuments", "As of"), _date(records.as_of)),
        ]
        table = contribution_table(records)
    return DocumentContent(
        title=QCoreApplication.translate("KioskDocuments", "Pension contribution statement"),
        number_label=QCoreApplication.translate("KioskDocuments", "Statement number"),
        number=document.number,
        lines=tuple(lines),
        table=table,
        qr_payload=document_payload(document.number, document.verification),
        qr_caption=QCoreApplication.translate("KioskDocuments", "Verification code {code}").format(
            code=document.verification
        ),
        footer=_common_footer(document.issued_at, document.hall_name),
        training_mark=training_mark,
    )


def receipt_content(
    *,
    service_name: object,
    local_id: str,
    hall_id: str,
    workstation_id: str,
    name: str,
    issued_at: datetime,
    training_mark: str = "",
) -> DocumentContent:
    """The receipt of a case queued at the kiosk (the case number; central's comes later)."""
    return DocumentContent(
        title=QCoreApplication.translate("KioskDocuments", "Receipt"),
        number_label=QCoreApplication.translate("KioskDocuments", "Case number"),
        number=local_id,
        lines=(
            (QCoreApplication.translate("KioskDocuments", "Service"), localized(service_name)),
            (QCoreApplication.translate("KioskDocuments", "Applicant"), name),
            (
                QCoreApplication.translate("KioskDocuments", "Hall and kiosk"),
                f"{hall_id} · {workstation_id}",
            ),
            (
                QCoreApplication.translate("KioskDocuments", "Received"),
                issued_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            ),
        ),
        qr_payload=case_payload(hall_id, workstation_id, local_id),
        qr_caption=QCoreApplication.translate(
            "KioskDocuments", "Show this code at a service window to ask about your case."
        ),
        footer=QCoreApplication.translate(
            "KioskDocuments",
            "Your application has been received and is on its way to the department. "
            "Keep this receipt.",
        ),
        training_mark=training_mark,
    )


# --- painting ------------------------------------------------------------------------------


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR code's modules, quiet zone included (error correction level M)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_BORDER)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def _font(family: str | None, points: float, *, bold: bool = False) -> QFont:
    font = QFont(family) if family else QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def paint_document(painter: QPainter, page: QRectF, content: DocumentContent) -> None:
    """Lay ``content`` out in ``page`` (device pixels) on any paint device."""
    family = find_cjk_family()
    dpi = painter.device().logicalDpiY()
    mm = dpi / 25.4
    x, width = page.left(), page.width()
    y = page.top()
    painter.setPen(QPen(QColor("black")))

    def text_block(text: str, font: QFont, *, flags=Qt.AlignmentFlag.AlignLeft, left=0.0):
        nonlocal y
        painter.setFont(font)
        box = QRectF(x + left, y, width - left, page.bottom() - y)
        wrap = int(flags | Qt.TextFlag.TextWordWrap)
        used = painter.boundingRect(box, wrap, text)
        painter.drawText(box, wrap, text)
        y += used.height()

    if content.training_mark:
        painter.save()
        band = QRectF(x, y, width, 10 * mm)
        painter.setPen(QPen(QColor("black"), 0.6 * mm))
        painter.drawRect(band)
        painter.setFont(_font(family, 14, bold=True))
        painter.drawText(band, int(Qt.AlignmentFlag.AlignCenter), content.training_mark)
        painter.restore()
        y += 14 * mm

    text_block(content.title, _font(family, 22, bold=True), flags=Qt.AlignmentFlag.AlignHCenter)
    y += 4 * mm
    text_block(
        f"{content.number_label}: {content.number}",
        _font(family, 12, bold=True),
        flags=Qt.AlignmentFlag.AlignHCenter,
    )
    y += 6 * mm

    # Label and value pairs in two columns.
    body = _font(family, 12)
    label_width = 55 * mm
    for label, value in content.lines:
        painter.setFont(body)
        top = y
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        label_box = QRectF(x, top, label_width - 3 * mm, page.bottom() - top)
        value_box = QRectF(x + label_width, top, width - label_width, page.bottom() - top)
        used_label = painter.boundingRect(label_box, flags, label)
        used_value = painter.boundingRect(value_box, flags, value)
        painter.drawText(label_box, flags, label)
        painter.drawText(value_box, flags, value)
        y = top + max(used_label.height(), used_value.height()) + 1.5 * mm

    if content.table:
        y += 4 * mm
        header, *rows = content.table
        column_width = width / len(header)
        row_height = 6.5 * mm
        # Room above the QR code and the footer; the most recent years win when it is short.
        room = int((page.bottom() - 60 * mm - y) // row_height) - 1
        if len(rows) > room:
            text_block(
                QCoreApplication.translate(
                    "KioskDocuments", "Earlier years: ask at a service window."
                ),
                _font(family, 10),
            )
            rows = rows[len(rows) - max(0, room - 1) :]
        for index, row in enumerate([header, *rows]):
            painter.setFont(_font(family, 10, bold=index == 0))
            for column, cell in enumerate(row):
                cell_box = QRectF(x + column * column_width, y, column_width, row_height)
                align = Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignRight
                painter.drawText(
                    cell_box.adjusted(1 * mm, 0, -1 * mm, 0),
                    int(align | Qt.AlignmentFlag.AlignVCenter),
                    cell,
                )
            y += row_height
            if index == 0:
                painter.drawLine(int(x), int(y), int(x + width), int(y))

    for note in content.notes:
        y += 3 * mm
        text_block(note, body)

    # The QR code, bottom right, with its caption; the footer bottom left.
    matrix = qr_matrix(content.qr_payload)
    size = 40 * mm
    module = size / len(matrix)
    qr_left = page.right() - size
    qr_top = page.bottom() - size - 12 * mm
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("white"))
    painter.drawRect(QRectF(qr_left, qr_top, size, size))
    painter.setBrush(QColor("black"))
    for row, modules in enumerate(matrix):
        for column, dark in enumerate(modules):
            if dark:
                painter.drawRect(
                    QRectF(qr_left + column * module, qr_top + row * module, module, module)
                )
    painter.restore()
    painter.setFont(_font(family, 9))
    painter.drawText(
        QRectF(qr_left - 20 * mm, qr_top + size + 1 * mm, size + 20 * mm, 10 * mm),
        int(Qt.AlignmentFlag.AlignRight | Qt.TextFlag.TextWordWrap),
        content.qr_caption,
    )
    footer_box = QRectF(x, qr_top, width - size - 8 * mm, size)
    painter.setFont(_font(family, 10))
    painter.drawText(
        footer_box,
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap),
        content.footer,
    )


def _page_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(18, 18, 18, 18),
        QPageLayout.Unit.Millimeter,
    )


def render_pdf(content: DocumentContent) -> bytes:
    """The document as a one-page A4 PDF, in memory (fonts embedded by Qt as subsets)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(_page_layout())
    writer.setTitle(content.title)
    writer.setCreator("Hall Counter")
    painter = QPainter()
    if not painter.begin(writer):
        raise PrintError("print_failed", "the PDF writer did not start")
    try:
        area = writer.pageLayout().paintRectPixels(RESOLUTION)
        # The painter's origin is the paint rectangle's corner, inside the margins.
        paint_document(painter, QRectF(0, 0, area.width(), area.height()), content)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


# --- the printer ---------------------------------------------------------------------------


def default_printer_factory(name: str = "") -> Callable[[], QPrinter | None]:
    """A factory for the named printer, or the system's default one; None when there is none."""

    def make() -> QPrinter | None:
        info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
        if info.isNull():
            return None
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(_page_layout())
        return printer

    return make


class DocumentPrinter:
    """Prints documents on its own thread (``kiosk-print``); see the module docstring.

    ``printer_factory`` makes the QPrinter for one job (None: no printer); the default is the
    printer the hall named, else the system's default printer.
    """

    def __init__(self, printer_factory: Callable[[], QPrinter | None] | None = None) -> None:
        self._factory = printer_factory or default_printer_factory()
        self._executor: ThreadPoolExecutor | None = None

    def available(self) -> bool:
        """Whether a printer is there to print on (asked before a document is issued)."""
        try:
            return self._factory() is not None
        except Exception:
            log.exception("looking for the printer failed")
            return False

    def print_document(self, content: DocumentContent) -> Future:
        """Future[None], resolved once the job went to the printer; PrintError otherwise."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-print")
        return self._executor.submit(self._print, content)

    def _print(self, content: DocumentContent) -> None:
        printer = self._factory()
        if printer is None:
            raise PrintError("no_printer", "no printer is set up")
        printer.setDocName(content.title)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError("print_failed", "the printer did not accept the job")
        try:
            area = printer.pageRect(QPrinter.Unit.DevicePixel)
            paint_document(painter, QRectF(0, 0, area.width(), area.height()), content)
        finally:
            ended = painter.end()
        if not ended or printer.printerState() == QPrinter.PrinterState.Error:
            raise PrintError("print_failed", "the printer reported an error")
        log.info("document %s sent to the printer", content.number)

    def stop(self) -> None:
        """Stop the print thread, after the job in progress (idempotent)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
