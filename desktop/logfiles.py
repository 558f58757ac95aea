"""Rotating log files in ``<data dir>/logs/``, for the hall's IT admin and ``diagnostics``.

What goes to the file: every record at INFO and above (lifecycle: reader connected, case queued
with its local id, case sent, retries, errors with their stack traces) and, for the topics chosen
with ``--debug``, DEBUG records too. ``hall-counter.log`` is rotated at :data:`MAX_BYTES` and
:data:`BACKUP_COUNT` older files are kept (``hall-counter.log.1`` … ``.5``), so the folder never
holds more than about 12 MB.

No personal data, by policy. The application logs ids (local case ids, ``person_ref``, reader
names), counts, status words, codes and timings — never a PIN, a name, an ID number (ssn), a card
number, a photo, a face encoding, a password or a token (style rules; reviewers enforce them).
As a second line of defence the file's formatter passes every line, stack traces included,
through :func:`redact`, which masks anything shaped like an 18-digit resident ID number or a
bearer token, so that a library's exception message quoting a value cannot carry one into the
file. Names cannot be recognised by shape; keeping them out is the first line's job.

The folder is created user-only (0700) and the files are 0600 on POSIX systems. Several
processes of one desk (the GUI and an ``outbox drain``) may append to the same file; when the
rotation cannot rename a file another process holds open (Windows), logging carries on in the
current file instead of printing errors.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

LOG_DIR_NAME = "logs"
LOG_FILE_NAME = "hall-counter.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 5
FILE_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s [%(threadName)s]: %(message)s"

# GB 11643 resident ID numbers: 6-digit region, 8-digit birth date, 3-digit sequence, check
# digit (0-9 or X). The 15-digit first-generation form is masked too.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(?:\d{8}\d{3}[\dXx]|\d{6}\d{3})(?![0-9A-Za-z])")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
_STDERR_LEVEL = logging.WARNING


def redact(text: str) -> str:
    """Mask ID-number-shaped digit runs and bearer tokens in ``text``.

    ``110105196210150016`` becomes ``110105************``; ``Bearer abc…`` becomes
    ``Bearer [redacted]``. Applied to every line the log file receives and again to the logs
    that go into a diagnostics archive.
    """
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 6), text)
    return _BEARER.sub(r"\1[redacted]", text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose output, stack traces included, went through :func:`redact`."""

    def format(self, record: logging.LogRecord) -> str:
        """Format the record as usual, then redact the whole text."""
        return redact(super().format(record))


class _UserOnlyRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """RotatingFileHandler whose files are created 0600 and whose rollover never raises."""

    def _open(self):
        if os.name == "posix":
            # Create the file user-only before logging opens it (open() would apply the umask).
            fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.close(fd)
        return super()._open()

    def doRollover(self) -> None:
        try:
            super().doRollover()
        except OSError:
            # Another process holds the file open (Windows refuses the rename). Keep appending
            # to the current file; a later record tries the rollover again.
            if self.stream is None:
                self.stream = self._open()


def log_dir(data_dir: Path) -> Path:
    """The folder that holds the log files of ``data_dir``."""
    return Path(data_dir) / LOG_DIR_NAME


def log_files(data_dir: Path) -> list[Path]:
    """The current log file and its rotated predecessors, newest first (existing ones only)."""
    folder = log_dir(data_dir)
    base = folder / LOG_FILE_NAME
    files = [base] if base.is_file() else []
    rotated = []
    for path in folder.glob(LOG_FILE_NAME + ".*"):
        suffix = path.name[len(LOG_FILE_NAME) + 1 :]
        if suffix.isdigit() and path.is_file():
            rotated.append((int(suffix), path))
    return files + [path for _, path in sorted(rotated)]


class _StderrTopicFilter(logging.Filter):
    """Keeps stderr as quiet as it was before the file handler lowered the root level.

    A record passes when it is at WARNING or above, or when a logger between it and the root
    was given a level of its own (a ``--debug`` topic) that lets it through.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= _STDERR_LEVEL:
            return True
        logger: logging.Logger | None = logging.getLogger(record.name)
        while logger is not None and logger is not logging.root:
            if logger.level != logging.NOTSET:
                return record.levelno >= logger.level
            logger = logger.parent  # type: ignore[assignment]
        return False


def _is_stderr_handler(handler: logging.Handler) -> bool:
    """A handler writing to the process's stderr (the CLI's, whatever its class)."""
    return (
        isinstance(handler, logging.StreamHandler)
        and not isinstance(handler, logging.FileHandler)
        and getattr(handler, "stream", None) in (sys.stderr, sys.__stderr__)
    )


def attach_log_file(data_dir: Path, *, level: int = logging.INFO) -> Path:
    """Add the rotating log file of ``data_dir`` to the root logger; return its path.

    Called once by the CLI's ``configure_logging`` after the stderr handler is in place. The root
    logger is lowered to ``level`` (INFO) so that lifecycle records reach the file; stderr
    handlers already on the root get a filter that keeps them at WARNING plus the ``--debug``
    topics, as before. Calling it again for the same file does nothing. Raises OSError when the
    folder cannot be created or the file cannot be opened; the caller decides whether to carry
    on without a file.
    """
    # mkdir's mode applies to the last component only: make the data directory itself
    # user-only when it is new, then its logs folder.
    Path(data_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = log_dir(data_dir)
    folder.mkdir(exist_ok=True, mode=0o700)
    path = (folder / LOG_FILE_NAME).resolve()
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path:
            return path

    handler = _UserOnlyRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=False
    )
    handler.setFormatter(RedactingFormatter(FILE_FORMAT))
    for existing in root.handlers:
        if _is_stderr_handler(existing) and not any(
            isinstance(f, _StderrTopicFilter) for f in existing.filters
        ):
            existing.addFilter(_StderrTopicFilter())
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path


def detach_log_file(path: Path) -> None:
    """Remove and close the root logger's file handler for ``path`` (tests, embedding)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == Path(path):
            root.removeHandler(handler)
            handler.close()
