"""Reading the kiosk's PDFs back in tests: text with QtPdf (PDFium), QR codes with OpenCV.

Neither reader shares code with the writer (QPdfWriter), so a document that reads back here is
one another program can read.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

PAGE_PIXELS = QSize(1654, 2339)  # A4 at 200 dpi


def _document(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    assert document.status() == QPdfDocument.Status.Ready, document.error()
    return document, buffer


def pdf_text(pdf: bytes) -> str:
    """The text of every page, as a PDF reader extracts it."""
    document, buffer = _document(pdf)
    try:
        return "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))
    finally:
        document.close()
        buffer.close()


def pdf_page_count(pdf: bytes) -> int:
    document, buffer = _document(pdf)
    try:
        return document.pageCount()
    finally:
        document.close()
        buffer.close()


def _decode_qr(cv2, pixels) -> str:
    """The text of the QR code in ``pixels``, or "".

    OpenCV's classic detector misses a few valid codes (about one payload in a hundred, e.g.
    ``HC1:DOC:D20261204000002:oeax3SWalCRZLCkL``), as a phone's reader does not; its
    ArUco-based detector reads those. A code counts as readable when either reads it.
    """
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, _points, _ = detector.detectAndDecode(pixels)
        if text:
            return text
    return ""


def pdf_qr_payloads(pdf: bytes) -> list[str]:
    """The QR codes found on the pages, decoded (OpenCV's QR detectors)."""
    import cv2

    document, buffer = _document(pdf)
    found = []
    try:
        for page in range(document.pageCount()):
            # Pages render on a transparent background: put them on white paper first.
            paper = QImage(PAGE_PIXELS, QImage.Format.Format_RGB32)
            paper.fill(QColor("white"))
            painter = QPainter(paper)
            painter.drawImage(0, 0, document.render(page, PAGE_PIXELS))
            painter.end()
            gray = paper.convertToFormat(QImage.Format.Format_Grayscale8)
            rows = np.frombuffer(gray.constBits(), dtype=np.uint8)
            pixels = rows.reshape(gray.height(), gray.bytesPerLine())[:, : gray.width()].copy()
            text = _decode_qr(cv2, pixels)
            if text:
                found.append(text)
    finally:
        document.close()
        buffer.close()
    return found
