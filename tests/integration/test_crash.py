"""Crash proof, short version of bench/crash.py: the desk killed with SIGKILL against a faulty
sandbox, then drained; every case whose ``case_queued`` line was printed is at central once.

The harness is bench/crash.py itself (loaded from its file), so the benchmark and this test
cannot drift apart. Kills: one through the test hook between central's commit and the local
mark (``after_send``), one after a claim, then random moments from outside.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load_bench():
    if "bench_crash" in sys.modules:
        return sys.modules["bench_crash"]
    spec = importlib.util.spec_from_file_location("bench_crash", REPO / "bench" / "crash.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_crash"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_sigkill_at_any_moment_loses_and_doubles_nothing(tmp_path):
    crash = _load_bench()
    report = crash.run_trials(
        tmp_path,
        kills=5,
        cases=3,
        seed=20261204,
        hook_share=0.0,
        demo_wait=15,
        drain_wait=120,
        first_kinds=("hook:after_send@1", "hook:after_claim@2"),
    )
    assert report["lost"] == 0, report
    assert report["duplicated"] == 0, report
    assert report["ok"], report
    assert report["queued"] > 0
    # The hook fired where it was told to, and the outside kills happened too.
    assert report["kill_kinds"].get("hook:after_send", 0) >= 1, report
    assert report["kill_kinds"].get("external", 0) >= 1, report
    # The after_send kill left central holding a case the desk had not marked: the drain (or
    # the next run) sent it again under the same key and central answered with the same case.
    assert report["central_cases"] >= report["queued"]
    assert report["local_states"] == {"sent": report["central_cases"]}, report


def test_report_counts_losses_and_duplicates():
    """The bookkeeping itself: a printed case central lacks is lost; a second central case for
    one local id is a duplicate; a case central has but no line printed is unacknowledged."""
    crash = _load_bench()
    run = crash.Run(kind="external", kill_at=1.0, outcome="killed")
    for local_id, key in (("W01-1", "k1"), ("W01-2", "k2"), ("W01-3", "k3")):
        run.note({"event": "case_queued", "local_id": local_id, "idempotency_key": key}, 3)
    central = [("k1", "W01-1", "W01"), ("k3", "W01-3", "W01"), ("k9", "W01-3", "W01")]
    local = [("W01-1", "k1", "sent"), ("W01-2", "k2", "sent"), ("W01-3", "k3", "sent")]

    class Drain:
        returncode = 0
        stdout = '{"event": "summary", "answers": {"200": 1}}\n'
        stderr = ""

    report = crash._report([run], central, local, Drain(), 1.0, 0)
    assert report["lost"] == 1 and report["lost_local_ids"] == ["W01-2"]
    assert report["duplicated"] == 1
    assert report["unacknowledged"] == 1
    assert report["ok"] is False
    assert report["kill_phases"] == {"sending": 1}
