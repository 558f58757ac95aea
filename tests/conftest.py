"""Suite-wide rules.

- Every test runs with its own data, config and key directories under a temporary folder, never
  the user's.
- A test that leaves a thread or a child process running fails.
- With HALL_COUNTER_NO_SKIP=1 (what ``make test`` and CI set) a skipped test is a failure: a run
  that quietly skips the card or UI tests has not tested them.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FACES = SHARED / "faces"

# Threads that libraries start once per process and keep on purpose.
_PROCESS_WIDE_THREADS = ("pydevd", "QDBusConnection", "asyncio_", "Dummy-")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Point every per-user location at a private temporary folder."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = home / name.lower()
        folder.mkdir()
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("HALL_COUNTER_KEY_DIR", str(home / "keys"))
    # A desk's system-wide config (/etc/hall-counter/config.toml) must not reach the tests.
    monkeypatch.setenv("HALL_COUNTER_SYSTEM_CONFIG", str(home / "system-config.toml"))
    # No desktop keyring in tests: the outbox key goes to the user-only key file.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    yield


def _foreign_threads(before: set[int]) -> list[threading.Thread]:
    return [
        t
        for t in threading.enumerate()
        if t.ident not in before and t.is_alive() and not t.name.startswith(_PROCESS_WIDE_THREADS)
    ]


@pytest.fixture(autouse=True)
def _no_leftover_threads_or_processes():
    """Fail a test that leaves a thread or a child process running."""
    before = {t.ident for t in threading.enumerate()}
    yield
    deadline = time.monotonic() + 5.0
    leftovers = _foreign_threads(before)
    while leftovers and time.monotonic() < deadline:
        time.sleep(0.05)
        leftovers = _foreign_threads(before)
    children = multiprocessing.active_children()
    problems = [f"thread {t.name!r}" for t in leftovers] + [f"process {p.name!r}" for p in children]
    for p in children:
        p.kill()
    if problems:
        pytest.fail("test left running: " + ", ".join(problems), pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Turn skips into failures when the run must be complete."""
    outcome = yield
    report = outcome.get_result()
    must_run = os.environ.get("HALL_COUNTER_NO_SKIP") == "1"
    if must_run and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped where a complete run is required: {report.longrepr}"


# The one shared pcscd and its two vpcd slots -------------------------------------------------
#
# Without pcscd and the vpcd readers the card tests skip with the reason, unless the run must be
# complete (CI set, or HALL_COUNTER_REQUIRE_PCSC=1): then they fail. With pytest-xdist every
# test that uses these fixtures (or is marked ``pcsc``) runs in one group, on one worker, one
# after another; the rest spread out.
_PCSC_FIXTURES = {"vpcd", "pcsc_service"}


@pytest.fixture(scope="session")
def pcsc_service():
    """pcscd with the vpcd readers (started for the session when it was not running)."""
    from pcsc_support import PcscUnavailable, ensure_pcscd, pcsc_required

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
    """Attach emulated cards to vpcd slots (each slot locked for this test); every card is
    taken out afterwards."""
    from pcsc_support import VpcdCards

    cards = VpcdCards()
    yield cards
    cards.close()


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups off the markers
def pytest_collection_modifyitems(config, items):
    """Keep the shared PC/SC stack's tests on one worker when the run is parallel."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.get_closest_marker("pcsc") or _PCSC_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.xdist_group("pcsc"))


_UNGROUPED = pytest.StashKey[bool]()


@pytest.hookimpl(trylast=True)  # after xdist tagged the grouped tests
def pytest_collection_finish(session):
    """Note the PC/SC tests that pytest-xdist did not put in their group (a pytest and xdist
    pair that cannot tag node ids): they fail at set-up rather than fight over the vpcd slots."""
    if not getattr(session.config.option, "loadgroup", False):  # set on xdist workers only
        return
    for item in session.items:
        if item.get_closest_marker("xdist_group") and not item.nodeid.endswith("@pcsc"):
            item.stash[_UNGROUPED] = True


def pytest_runtest_setup(item):
    if item.stash.get(_UNGROUPED, False):
        pytest.fail(
            "pytest-xdist did not keep this PC/SC test in its group; use the pytest and "
            "pytest-xdist versions in uv.lock",
            pytrace=False,
        )
