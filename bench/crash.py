"""Crash bench: SIGKILL the desk at random moments against a faulty central; nothing is lost,
nothing is doubled.

    .venv/bin/python bench/crash.py [--kills 100] [--cases 4] [--faults SPEC] [--seed N]
                                    [--hook-share 0.3] [--dir DIR] [--json]

What it does, all on 127.0.0.1 and in a temporary folder (``--dir`` to keep it):

1. starts ``hall-counter sandbox --faults SPEC`` (default ``error_rate=0.2,delay_ms=30,
   drop_after_commit=0.2``: one request in five answered 503, one new case in five committed at
   central and its answer cut);
2. ``--kills`` times: runs ``hall-counter demo --headless --central URL --cases N --face
   decline`` on the same data directory and kills its process group with SIGKILL, either from
   outside at a random moment (while it starts, while it queues cases, while it sends them), or
   through the test hook ``HALL_COUNTER_CRASH_POINT`` at a chosen point: ``after_send``
   (central committed the case, the desk has not marked it sent), ``after_claim``,
   ``after_commit`` (``--hook-share`` of the runs; see docs/outbox.md);
3. finishes with ``hall-counter outbox drain --central URL``;
4. reads central's database and the desk's outbox and prints:

   - queued: cases whose ``case_queued`` line was printed (the clerk saw the receipt);
   - lost: of those, cases central does not have;
   - duplicated: central cases beyond the first for one local case id (a case stored twice);
   - unacknowledged: cases central has whose ``case_queued`` line never came out (the kill fell
     between the outbox commit and the print; the case is not lost, the clerk saw no receipt);
   - the kills by kind and by the phase they hit, and how often a kill left a row in "sending".

Exit 0 when nothing was lost or duplicated, the drain emptied the outbox and every row is sent.
``tests/integration/test_crash.py`` runs a short version of the same harness.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FAULTS = "error_rate=0.2,delay_ms=30,drop_after_commit=0.2"
HOOK_POINTS = ("after_send", "after_send", "after_claim", "after_commit")


def isolated_env(workdir: Path) -> dict[str, str]:
    """An environment whose key folder and per-user folders are inside ``workdir``."""
    env = dict(os.environ)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = workdir / "home" / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env["HALL_COUNTER_KEY_DIR"] = str(workdir / "keys")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.pop("HALL_COUNTER_CRASH_POINT", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def hall_counter(*args: str) -> list[str]:
    """The command line of ``hall-counter ARGS`` with this interpreter."""
    return [sys.executable, "-m", "ui.cli", *args]


class Sandbox:
    """``hall-counter sandbox`` as a child process on 127.0.0.1 (a port of its choosing)."""

    def __init__(self, workdir: Path, env: dict[str, str], faults: str, *, extra=()):
        self.db = workdir / "central" / "sandbox.db"
        self.db.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(workdir / "sandbox.log", "wb")  # noqa: SIM115 - closed in stop()
        args = ["--data-dir", str(self.db.parent), "sandbox", "--host", "127.0.0.1"]
        args += ["--port", "0", "--db", str(self.db), "--advance-seconds", "0", *extra]
        if faults:
            args += ["--faults", faults]
        self.proc = subprocess.Popen(
            hall_counter(*args),
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self._log,
            start_new_session=True,
        )
        line = self.proc.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError(f"the sandbox did not start; see {workdir / 'sandbox.log'}")
        self.url: str = json.loads(line)["url"]

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self._log.close()

    def cases(self) -> list[tuple[str, str, str]]:
        """(idempotency key, local id, workstation) of every case central holds."""
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        try:
            return conn.execute(
                "SELECT idempotency_key, local_id, workstation_id FROM cases"
            ).fetchall()
        finally:
            conn.close()


@dataclass
class Run:
    """One demo run and how it ended."""

    kind: str  # "external" or "hook:<point>@<pass>"
    kill_at: float | None
    started: float = field(default_factory=time.monotonic)
    events: list[dict[str, Any]] = field(default_factory=list)
    ended: float | None = None
    returncode: int | None = None
    phase: str = "starting"
    # "killed" (by us or by the hook), "completed" (ended before any kill), "timeout".
    outcome: str = "completed"
    first_event: float | None = None  # when the first citizen's card was read

    @property
    def killed(self) -> bool:
        """Whether SIGKILL ended this run."""
        return self.outcome == "killed"

    def note(self, event: dict[str, Any], cases: int) -> None:
        if self.first_event is None:
            self.first_event = time.monotonic()
        self.events.append(event)
        queued = sum(1 for e in self.events if e.get("event") == "case_queued")
        skipped = sum(1 for e in self.events if e.get("event") == "case_skipped")
        if queued + skipped >= cases:
            self.phase = "sending"
        elif event.get("event") in ("card_read", "case_queued", "case_skipped"):
            self.phase = "queuing"


def _read_events(proc: subprocess.Popen, run: Run, cases: int) -> None:
    for raw in proc.stdout:
        try:
            event = json.loads(raw)
        except ValueError:
            continue
        run.note(event, cases)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process group the child leads (the desk and anything it started)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def demo_run(
    url: str,
    data_dir: Path,
    env: dict[str, str],
    cases: int,
    kind: str,
    kill_at: float | None,
    timeout: float,
) -> Run:
    """Run ``demo`` once; kill it at ``kill_at`` seconds (external) or let the hook do it."""
    run = Run(kind=kind, kill_at=kill_at)
    child_env = dict(env)
    if kind.startswith("hook:"):
        point, _, nth = kind[5:].partition("@")
        child_env["HALL_COUNTER_CRASH_POINT"] = f"{point}:{nth or 1}"
    args = ["--data-dir", str(data_dir), "demo", "--headless", "--central", url]
    args += ["--cases", str(cases), "--face", "decline", "--wait", str(int(timeout))]
    proc = subprocess.Popen(
        hall_counter(*args),
        cwd=REPO,
        env=child_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )
    reader = threading.Thread(target=_read_events, args=(proc, run, cases), daemon=True)
    reader.start()
    deadline = run.started + (kill_at if kill_at is not None else timeout + 30)
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if proc.poll() is None:
        run.outcome = "timeout" if kind.startswith("hook:") else "killed"
        kill_group(proc)
    run.returncode = proc.wait()
    if run.returncode == -signal.SIGKILL:
        run.outcome = "killed" if run.outcome != "timeout" else "timeout"
    kill_group(proc)  # whatever the desk left in its group
    reader.join(10)
    proc.stdout.close()
    run.ended = time.monotonic()
    return run


def outbox_rows(data_dir: Path) -> list[tuple[str, str, str]]:
    """(local id, idempotency key, state) of every row of the training outbox."""
    db = data_dir / "training" / "outbox.db"
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT local_id, idempotency_key, state FROM outbox_cases").fetchall()
    finally:
        conn.close()


def run_trials(
    workdir: Path,
    *,
    kills: int,
    cases: int,
    faults: str = DEFAULT_FAULTS,
    seed: int | None = None,
    hook_share: float = 0.3,
    demo_wait: float = 20.0,
    drain_wait: float = 300.0,
    first_kinds: tuple[str, ...] = (),
    progress=None,
) -> dict[str, Any]:
    """Run the whole experiment in ``workdir``; return the report (see the module docstring).

    ``first_kinds`` fixes how the first runs are killed (``"external"`` or
    ``"hook:<point>@<pass>"``); the rest are drawn at random.
    """
    rng = random.Random(seed)
    env = isolated_env(workdir)
    data_dir = workdir / "desk"
    if seed is not None and "seed=" not in faults:
        faults = f"{faults},seed={seed}" if faults else f"seed={seed}"
    sandbox = Sandbox(workdir, env, faults)
    runs: list[Run] = []
    left_in_sending = 0
    try:
        # One run left alone measures how long a whole run takes on this machine now; the
        # outside kills are drawn within that time (start, queuing and sending all get hit).
        calibration = demo_run(sandbox.url, data_dir, env, cases, "calibration", None, demo_wait)
        runs.append(calibration)
        durations = [calibration.ended - calibration.started]
        starts = [(calibration.first_event or calibration.ended) - calibration.started]
        index = 0
        # Runs that end on their own before the kill do not count; bounded all the same.
        while sum(run.killed for run in runs) < kills and len(runs) < 3 * kills:
            index += 1
            if index <= len(first_kinds) and first_kinds[index - 1].startswith("hook:"):
                kind, kill_at = first_kinds[index - 1], None
            elif rng.random() < hook_share and index > len(first_kinds):
                point = rng.choice(HOOK_POINTS)
                nth = rng.randint(1, max(1, cases))
                kind, kill_at = f"hook:{point}@{nth}", None
            else:
                # A fifth of the kills hit the start (imports, sign-in), the rest the work.
                typical, start = statistics.median(durations), statistics.median(starts)
                if rng.random() < 0.2:
                    kind, kill_at = "external", rng.uniform(0.3, start)
                else:
                    kind, kill_at = "external", rng.uniform(start, max(start, typical) * 1.1)
            run = demo_run(sandbox.url, data_dir, env, cases, kind, kill_at, demo_wait)
            runs.append(run)
            if run.outcome == "completed":
                durations.append(run.ended - run.started)
            if run.first_event is not None:
                starts.append(run.first_event - run.started)
            if run.killed:
                rows = outbox_rows(data_dir)
                left_in_sending += any(state == "sending" for _, _, state in rows)
            if progress:
                progress(index, sum(r.killed for r in runs), kills, run)

        drain_started = time.monotonic()
        drain = subprocess.run(
            hall_counter(
                "--data-dir",
                str(data_dir),
                "outbox",
                "drain",
                "--central",
                sandbox.url,
                "--wait",
                str(int(drain_wait)),
            ),
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=drain_wait + 120,
        )
        drain_seconds = time.monotonic() - drain_started
        central = sandbox.cases()
    finally:
        sandbox.stop()

    return _report(runs, central, outbox_rows(data_dir), drain, drain_seconds, left_in_sending)


def _report(runs, central, local_rows, drain, drain_seconds, left_in_sending) -> dict[str, Any]:
    printed: dict[str, str] = {}  # idempotency key -> local id, from case_queued lines
    printed_twice = 0
    for run in runs:
        for event in run.events:
            if event.get("event") == "case_queued":
                key = event["idempotency_key"]
                printed_twice += key in printed
                printed[key] = event["local_id"]
    central_keys = Counter(key for key, _, _ in central)
    per_local_id = Counter(local_id for _, local_id, _ in central)
    lost = sorted(printed[k] for k in printed if central_keys[k] == 0)
    duplicated = sum(n - 1 for n in per_local_id.values() if n > 1)
    duplicated += sum(n - 1 for n in central_keys.values() if n > 1)
    unacknowledged = sorted(local_id for key, local_id, _ in central if key not in printed)
    local_states = Counter(state for _, _, state in local_rows)
    local_keys = {key for _, key, _ in local_rows}
    missing_locally = [printed[k] for k in printed if k not in local_keys]
    summary = None
    for line in drain.stdout.splitlines():
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if event.get("event") == "summary":
                summary = event
    killed = [run for run in runs if run.killed]
    kinds = Counter(run.kind.split("@")[0] for run in killed)
    phases = Counter(run.phase for run in killed)
    outcomes = Counter(run.outcome for run in runs)
    ok = (
        not lost
        and duplicated == 0
        and printed_twice == 0
        and not missing_locally
        and drain.returncode == 0
        and set(local_states) <= {"sent"}
    )
    return {
        "ok": ok,
        "runs": len(runs),
        "run_outcomes": dict(sorted(outcomes.items())),
        "kills": len(killed),
        "kill_kinds": dict(sorted(kinds.items())),
        "kill_phases": dict(sorted(phases.items())),
        "kills_leaving_a_row_in_sending": left_in_sending,
        "queued": len(printed),
        "lost": len(lost),
        "lost_local_ids": lost,
        "duplicated": duplicated,
        "unacknowledged": len(unacknowledged),
        "central_cases": len(central),
        "local_states": dict(sorted(local_states.items())),
        "drain_returncode": drain.returncode,
        "drain_seconds": round(drain_seconds, 2),
        "drain_answers": (summary or {}).get("answers", {}),
        "drain_stderr_tail": drain.stderr.splitlines()[-3:] if drain.returncode else [],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100, help="demo runs killed (100)")
    parser.add_argument("--cases", type=int, default=4, help="citizens per demo run (4)")
    parser.add_argument("--faults", default=DEFAULT_FAULTS, help=f"({DEFAULT_FAULTS})")
    parser.add_argument("--seed", type=int, default=None, help="seed of kills and faults")
    parser.add_argument("--hook-share", type=float, default=0.3, help="runs killed by the hook")
    parser.add_argument("--dir", type=Path, default=None, help="keep everything in DIR")
    parser.add_argument("--json", action="store_true", help="print the report as JSON only")
    args = parser.parse_args(argv)
    if not 1 <= args.kills <= 2000 or not 1 <= args.cases <= 50:
        parser.error("--kills must be 1-2000 and --cases 1-50")

    def progress(index: int, done: int, total: int, run: Run) -> None:
        if not args.json:
            queued = sum(1 for e in run.events if e.get("event") == "case_queued")
            print(
                f"  run {index:3d} (kills {done:3d}/{total}): {run.kind:<22} {run.outcome:<9} "
                f"phase {run.phase:<8} queued {queued}",
                file=sys.stderr,
                flush=True,
            )

    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        if args.dir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hc-crash-")))
        else:
            workdir = args.dir
            workdir.mkdir(parents=True, exist_ok=True)
        report = run_trials(
            workdir,
            kills=args.kills,
            cases=args.cases,
            faults=args.faults,
            seed=args.seed,
            hook_share=args.hook_share,
            progress=progress,
        )
    report["seconds"] = round(time.monotonic() - started, 1)
    if args.json:
        print(json.dumps(report))
    else:
        print(
            f"runs {report['runs']} {report['run_outcomes']}; kills {report['kills']} "
            f"{report['kill_kinds']}, phases {report['kill_phases']}, "
            f"left a row in sending {report['kills_leaving_a_row_in_sending']}"
        )
        print(
            f"queued {report['queued']}  lost {report['lost']}  "
            f"duplicated {report['duplicated']}  unacknowledged {report['unacknowledged']}  "
            f"(central holds {report['central_cases']})"
        )
        print(
            f"drain: rc {report['drain_returncode']} in {report['drain_seconds']} s, "
            f"answers {report['drain_answers']}; local rows {report['local_states']}; "
            f"total {report['seconds']} s; {'OK' if report['ok'] else 'FAILED'}"
        )
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
