"""Central client helpers that need no server."""

from __future__ import annotations

import email.utils

from desktop.central import MAX_RETRY_AFTER, CentralRejectedError, parse_retry_after


def test_retry_after_seconds_and_dates():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") == 0.0
    assert parse_retry_after("999999") == MAX_RETRY_AFTER
    now = 1_800_000_000.0
    date = email.utils.formatdate(now + 120, usegmt=True)
    assert parse_retry_after(date, now=now) == 120.0


def test_rejections_are_not_retryable():
    assert CentralRejectedError("x").retryable is False
