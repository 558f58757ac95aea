"""Fixtures for the integration tests on the real PC/SC stack (pcscd + vpcd + our emulator).

Without pcscd and the vpcd readers the card tests skip with the reason, unless the run must be
complete (CI set, or HALL_COUNTER_REQUIRE_PCSC=1): then they fail.
"""

from __future__ import annotations

import pytest
from pcsc_support import PcscUnavailable, VpcdCards, ensure_pcscd, pcsc_required


@pytest.fixture(scope="session")
def pcsc_service():
    """pcscd with the vpcd readers (started for the session when it was not running)."""
    try:
        handle = ensure_pcscd()
    except PcscUnavailable as exc:
        if pcsc_required():
            pytest.fail(f"PC/SC stack required but unavailable: {exc}", pytrace=False)
        pytest.skip(f"PC/SC stack unavailable: {exc}")
    yield handle
    handle.stop()


@pytest.fixture
def vpcd(pcsc_service):
    """Attach emulated cards to vpcd slots; every card is taken out after the test."""
    cards = VpcdCards()
    yield cards
    cards.close()
