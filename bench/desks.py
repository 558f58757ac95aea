"""Many desks bench: 50 desks with 200 queued cases each reconnect to one central at once.

    .venv/bin/python bench/desks.py [--desks 50] [--cases 200] [--faults rate_limit=40]
                                    [--wait 900] [--dir DIR]

All on 127.0.0.1 in a temporary folder (``--dir`` to keep it):

1. writes a seed like the training one with ``--desks`` workstations (W01, W02, ...) and starts
   ``hall-counter sandbox --seed ... --faults SPEC`` (default a rate limit of 40 requests per
   second over all clients, answered 429 with Retry-After beyond it: below what the sandbox
   stores per second on a small machine, so the limit, not the disk, is what the desks meet);
2. gives each desk its own data directory with its training workstation and queues ``--cases``
   cases in its outbox through ``OutboxService.enqueue`` (no central involved: the desks were
   offline);
3. starts one ``hall-counter outbox drain --central URL`` process per desk, all at once (the
   network is back), and waits for every one to exit;
4. checks central's database and every desk's outbox and prints: the time from the start of the
   drains until the last desk was empty, per-desk drain times, what central answered (429s
   included) as the desks counted it, the peak memory of all drain processes together, and
   whether every case is at central exactly once (by idempotency key and by local id).

Exit 0 when every desk drained, central holds every case once, and nothing is doubled.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from crash import Sandbox, hall_counter, isolated_env  # noqa: E402  (bench folder on the path)


def workstation_id(index: int) -> str:
    """W01, W02, ... W50."""
    return f"W{index + 1:02d}"


def write_seed(workdir: Path, desks: int) -> Path:
    """The training seed with ``desks`` workstations, its paths made absolute."""
    from ui.app import load_seed, seed_path

    base = seed_path().parent
    seed = load_seed()
    for citizen in seed["citizens"]:
        for key in ("card_profile", "face_reference", "face_probe"):
            if citizen.get(key):
                citizen[key] = str((base / citizen[key]).resolve())
    if seed.get("services"):
        seed["services"] = str((base / seed["services"]).resolve())
    seed["workstations"] = [
        {"id": workstation_id(i), "name": f"bench desk {i + 1}", "secret": f"bench-{i + 1:02d}"}
        for i in range(desks)
    ]
    path = workdir / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    return path


def prepare_desk(workdir: Path, index: int, cases: int, url: str, seed: dict) -> Path:
    """A desk's data directory: its training workstation and ``cases`` queued cases."""
    from outbox import make_case  # bench/outbox.py

    from desktop.outbox import FreezePolicy, OutboxService
    from desktop.settings import Settings
    from ui.app import store_training_workstation, training_data_dir

    data_dir = workdir / "desks" / f"d{index + 1:02d}"
    training = training_data_dir(data_dir)
    ws = seed["workstations"][index]
    settings = Settings(
        central_url=url,
        hall_id=seed["hall"]["id"],
        workstation_id=ws["id"],
        workstation_secret=ws["secret"],
        training=True,
    )
    store_training_workstation(training, settings)
    outbox = OutboxService(training, freeze=FreezePolicy.off())
    outbox.start()
    try:
        for n in range(cases):
            outbox.enqueue(make_case(n, ws["id"])).result()
    finally:
        outbox.stop()
    return data_dir


class MemoryWatch:
    """Samples the summed resident memory of a set of processes (Linux /proc)."""

    def __init__(self) -> None:
        self.pids: list[int] = []
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.peak_kib = max(self.peak_kib, sum(self._rss(pid) for pid in list(self.pids)))

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(workdir: Path, *, desks: int, cases: int, faults: str, wait: float) -> dict[str, object]:
    env = isolated_env(workdir)
    os.environ.update({k: env[k] for k in ("HALL_COUNTER_KEY_DIR", "PYTHON_KEYRING_BACKEND")})
    seed_file = write_seed(workdir, desks)
    seed = json.loads(seed_file.read_text(encoding="utf-8"))
    sandbox = Sandbox(workdir, env, faults, extra=("--seed", str(seed_file)))
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            dirs = list(
                pool.map(lambda i: prepare_desk(workdir, i, cases, sandbox.url, seed), range(desks))
            )
        os.sync()
        prepare_seconds = time.monotonic() - started
        print(
            f"  {desks} desks with {cases} queued cases each in {prepare_seconds:.0f} s",
            file=sys.stderr,
            flush=True,
        )

        procs: list[subprocess.Popen] = []
        logs = []
        ended: dict[int, float] = {}
        with MemoryWatch() as memory:
            launched = time.monotonic()
            for data_dir in dirs:
                args = ["--data-dir", str(data_dir), "outbox", "drain"]
                args += ["--central", sandbox.url, "--wait", str(int(wait))]
                log = open(data_dir / "drain.out", "w+", encoding="utf-8")  # noqa: SIM115
                logs.append(log)
                proc = subprocess.Popen(
                    hall_counter(*args),
                    cwd=REPO,
                    env=env,
                    stdout=log,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                memory.pids.append(proc.pid)
                procs.append(proc)
            deadline = launched + wait + 120
            while len(ended) < len(procs) and time.monotonic() < deadline:
                for index, proc in enumerate(procs):
                    if index not in ended and proc.poll() is not None:
                        ended[index] = time.monotonic()
                time.sleep(0.05)
            for proc in procs:  # bounded: anything still running past the limit goes
                if proc.poll() is None:
                    proc.kill()
                proc.wait()
            drain_seconds = max(ended.values(), default=deadline) - launched
        outputs = []
        for log in logs:
            log.seek(0)
            outputs.append(log.read())
            log.close()

        summaries = []
        for out in outputs:
            summary = {}
            for line in out.splitlines():
                with contextlib.suppress(ValueError):
                    event = json.loads(line)
                    if event.get("event") == "summary":
                        summary = event
            summaries.append(summary)
        central = sandbox.cases()
    finally:
        sandbox.stop()

    answers: Counter[str] = Counter()
    for summary in summaries:
        answers.update(summary.get("answers", {}))
    by_key = Counter(key for key, _, _ in central)
    by_local = Counter((ws, local_id) for _, local_id, ws in central)
    local_keys = set()
    local_states: Counter[str] = Counter()
    for data_dir in dirs:
        db = data_dir / "training" / "outbox.db"
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            for key, state in conn.execute("SELECT idempotency_key, state FROM outbox_cases"):
                local_keys.add(key)
                local_states[state] += 1
        finally:
            conn.close()
    missing = len(local_keys - set(by_key))
    duplicated = sum(n - 1 for n in by_key.values() if n > 1)
    duplicated += sum(n - 1 for n in by_local.values() if n > 1)
    per_desk = sorted(ended[i] - launched for i in ended)
    drained = sum(1 for s in summaries if s.get("drained"))
    return {
        "ok": drained == desks
        and missing == 0
        and duplicated == 0
        and local_states == Counter({"sent": desks * cases}),
        "desks": desks,
        "cases_per_desk": cases,
        "faults": faults,
        "drained_desks": drained,
        "drain_seconds": round(drain_seconds, 1),
        "per_desk_seconds": {
            "min": round(per_desk[0], 1),
            "median": round(statistics.median(per_desk), 1),
            "max": round(per_desk[-1], 1),
        },
        "cases_per_second": round(desks * cases / drain_seconds, 1),
        "answers": dict(sorted(answers.items())),
        "answers_429": answers.get("429", 0),
        "central_cases": len(central),
        "missing_at_central": missing,
        "duplicated": duplicated,
        "local_states": dict(local_states),
        "peak_rss_mib_all_drains": round(memory.peak_kib / 1024),
        "prepare_seconds": round(prepare_seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--desks", type=int, default=50, help="desk processes (50)")
    parser.add_argument("--cases", type=int, default=200, help="queued cases per desk (200)")
    parser.add_argument("--faults", default="rate_limit=40", help="sandbox faults")
    parser.add_argument("--wait", type=float, default=900, help="drain limit in seconds (900)")
    parser.add_argument("--dir", type=Path, default=None, help="keep everything in DIR")
    parser.add_argument("--json", action="store_true", help="print the report as JSON only")
    args = parser.parse_args(argv)
    if not 1 <= args.desks <= 99 or not 1 <= args.cases <= 5000 or not 10 <= args.wait <= 3600:
        parser.error("--desks 1-99, --cases 1-5000, --wait 10-3600")

    with contextlib.ExitStack() as stack:
        if args.dir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hc-desks-")))
        else:
            workdir = args.dir
            workdir.mkdir(parents=True, exist_ok=True)
        report = run(
            workdir, desks=args.desks, cases=args.cases, faults=args.faults, wait=args.wait
        )
    if args.json:
        print(json.dumps(report))
    else:
        print(
            f"{report['desks']} desks x {report['cases_per_desk']} cases, faults "
            f"{report['faults']}: all drained in {report['drain_seconds']} s "
            f"({report['cases_per_second']} cases/s; per desk min/median/max "
            f"{report['per_desk_seconds']['min']}/{report['per_desk_seconds']['median']}/"
            f"{report['per_desk_seconds']['max']} s), drained desks {report['drained_desks']}"
        )
        print(
            f"429 answers {report['answers_429']}; all answers {report['answers']}; "
            f"peak memory of all drain processes {report['peak_rss_mib_all_drains']} MiB"
        )
        print(
            f"central holds {report['central_cases']}; missing {report['missing_at_central']}; "
            f"duplicated {report['duplicated']}; desk rows {report['local_states']}; "
            f"{'OK' if report['ok'] else 'FAILED'}"
        )
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
