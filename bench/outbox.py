"""Outbox bench: enqueue latency and drain throughput, each beside its bare floor, in one run.

    .venv/bin/python bench/outbox.py [--cases 600] [--chunk 50] [--dir DIR]

1. Enqueue latency: ``OutboxService.enqueue(case).result()`` (hop to the writer thread, the
   freeze check, a new local id, AES-256-GCM seal, INSERT, commit with WAL and
   ``synchronous=FULL``, counts refreshed) beside a bare ``sqlite3`` INSERT of a row of the same
   size in its own transaction, with the same durability (WAL, ``synchronous=FULL``,
   ``BEGIN IMMEDIATE``), in the same folder (same disk). The two alternate call by call, so both
   see the same disk and machine load. Goal: our p99 at most 3 times the bare p99.
2. Drain throughput: the outbox's sync loop sending queued cases to a ``hall-counter sandbox``
   child process on 127.0.0.1 (``POST /v1/cases`` as the workstation), beside a bare
   ``requests.Session`` loop POSTing the same kind of canonical case bodies, with fresh
   idempotency keys and the same token, to the same endpoint. The variants take turns in chunks
   of ``--chunk`` cases (bare, ours, ours with every sync-loop mark committed with FULL sync),
   so a change of disk or machine load hits them alike; each chunk counts from its first case
   done to its last (connection set-up and sign-in fall outside). Goal: ours at least 0.8 of
   bare.

The third column shows why the sync loop's marks do not wait for the disk (docs/outbox.md): it
is the same loop with ``synchronous=FULL`` on each claim and each "sent" mark. Figures depend
on the machine; nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

ENQUEUE_GOAL = 3.0
DRAIN_GOAL = 0.8


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1), linear between ranks."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@cache
def _seed() -> dict:
    from ui.app import load_seed

    return load_seed()


def make_case(index: int, workstation: str = "W01"):
    """A valid case for one of the training seed's citizens (as the desk builds it)."""
    from desktop.contract import (
        CaseSubmission,
        CitizenRef,
        CoSign,
        FaceCheck,
        IdentityCheck,
    )

    seed = _seed()
    citizens = [c for c in seed["citizens"] if c.get("card_status", "normal") == "normal"]
    citizen = citizens[index % len(citizens)]
    now = datetime.now(UTC)
    return CaseSubmission(
        local_id=f"{workstation}-BENCH-{index:06d}",
        service="unemployment_benefit",
        hall_id=seed["hall"]["id"],
        workstation_id=workstation,
        clerk="clerk01",
        created_at=now,
        citizen=CitizenRef(ssn=citizen["ssn"], card_no=citizen["card_no"]),
        identity=IdentityCheck(pin="ok", face=FaceCheck(decision="declined")),
        form={
            "reason_for_leaving": "contract_expired",
            "last_employer": "示例贸易有限公司",
            "insured_months": 36,
            "amount": 2130.5,
        },
        cosign=CoSign(supervisor="super01", reason="bench: face check declined", at=now),
    )


# --- 1. enqueue latency -------------------------------------------------------------------------


def bench_enqueue(folder: Path, cases: int) -> dict[str, float]:
    from desktop.contract import canonical_json
    from desktop.outbox import FreezePolicy, OutboxService

    bare_path = folder / "bare.db"
    bare = sqlite3.connect(bare_path, isolation_level=None)
    bare.execute("PRAGMA journal_mode=WAL")
    bare.execute("PRAGMA synchronous=FULL")
    bare.execute(
        "CREATE TABLE cases (id INTEGER PRIMARY KEY, local_id TEXT UNIQUE, key TEXT UNIQUE, "
        "state TEXT, body BLOB)"
    )
    body_size = len(canonical_json(make_case(0))) + 28  # nonce and tag of the sealed body

    outbox = OutboxService(folder / "desk", freeze=FreezePolicy(max_unsent=cases + 100))
    outbox.start()
    case = make_case(0)
    ours: list[float] = []
    floor: list[float] = []
    try:
        for index in range(cases + 20):
            started = time.perf_counter()
            bare.execute("BEGIN IMMEDIATE")
            bare.execute(
                "INSERT INTO cases (local_id, key, state, body) VALUES (?, ?, 'pending', ?)",
                (f"W01-{index}", str(uuid.uuid4()), os.urandom(body_size)),
            )
            bare.execute("COMMIT")
            bare_s = time.perf_counter() - started

            started = time.perf_counter()
            outbox.enqueue(case).result()
            ours_s = time.perf_counter() - started
            if index >= 20:  # warm-up: imports, first pages, caches
                floor.append(bare_s * 1000)
                ours.append(ours_s * 1000)
    finally:
        outbox.stop()
        bare.close()
    return {
        "ours_p50": percentile(ours, 0.5),
        "ours_p99": percentile(ours, 0.99),
        "bare_p50": percentile(floor, 0.5),
        "bare_p99": percentile(floor, 0.99),
    }


# --- 2. drain throughput ------------------------------------------------------------------------


def bare_loop(url: str, token: str, bodies: list[bytes]) -> tuple[int, float]:
    """A plain requests.Session POST loop: (cases after the first, seconds they took)."""
    import requests

    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    done: list[float] = []
    for body in bodies:
        answer = session.post(
            f"{url}/v1/cases",
            data=body,
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            timeout=30,
        )
        if answer.status_code != 201:
            raise RuntimeError(f"bare POST answered {answer.status_code}: {answer.text[:200]}")
        done.append(time.perf_counter())
    session.close()
    return len(done) - 1, done[-1] - done[0]


@contextlib.contextmanager
def full_sync_marks():
    """Make the sync loop's marks commit with synchronous=FULL (the alternative design)."""
    from desktop.outbox import OutboxStore

    original = OutboxStore._tx

    def durable_tx(self, *, durable: bool = True):
        return original(self, durable=True)

    OutboxStore._tx = durable_tx
    try:
        yield
    finally:
        OutboxStore._tx = original


def fill_outbox(folder: Path, cases: int, first: int) -> None:
    """Queue ``cases`` cases in a new outbox at ``folder`` (no sync loop)."""
    from desktop.outbox import FreezePolicy, OutboxService

    folder.mkdir(parents=True)
    queue_only = OutboxService(folder, freeze=FreezePolicy.off())
    queue_only.start()
    for index in range(first, first + cases):
        queue_only.enqueue(make_case(index)).result()
    queue_only.stop()


class _SentTimes:
    """Outbox listener noting when each case was marked sent."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def on_case_sent(self, local_id: str, central_id: str) -> None:
        self.times.append(time.perf_counter())


def ours_drain(folder: Path, url: str, cases: int, secret: str) -> tuple[int, float]:
    """The outbox's sync loop draining the outbox at ``folder``: (cases after the first
    one sent, seconds they took). Sign-in and start-up fall before the first case."""
    from desktop.central import CentralClient
    from desktop.outbox import FreezePolicy, OutboxService
    from desktop.sync import SyncLoop

    def make_sync(outbox):
        return SyncLoop(outbox, CentralClient(url, timeout=30), "W01", secret)

    sent = _SentTimes()
    outbox = OutboxService(folder, freeze=FreezePolicy.off(), sync_factory=make_sync)
    outbox.add_listener(sent)
    outbox.start()
    try:
        if not outbox.wait_until(lambda c: c["sent"] == cases, 600):
            raise RuntimeError(f"drain did not finish: {outbox.counts()}")
        answers = dict(outbox.sync.answers)
    finally:
        outbox.stop()
    if answers.get("201") != cases:
        raise RuntimeError(f"unexpected answers {answers}")
    return len(sent.times) - 1, sent.times[-1] - sent.times[0]


VARIANTS = ("bare", "ours", "ours_full_marks")


def bench_drain(folder: Path, cases: int, chunk: int) -> dict[str, float]:
    """Cases per second of each variant, measured in alternating chunks of ``chunk`` cases."""
    from crash import Sandbox, isolated_env

    from desktop.central import CentralClient
    from desktop.contract import canonical_json
    from ui.app import load_seed

    # Everything is queued first and flushed to disk, so no measurement pays for the writes
    # of another one's set-up.
    chunks = max(1, cases // chunk)
    for n in range(chunks):
        fill_outbox(folder / f"ours-{n}", chunk, (3 * n + 1) * chunk)
        fill_outbox(folder / f"full-{n}", chunk, (3 * n + 2) * chunk)
    bodies = [
        [canonical_json(make_case(3 * n * chunk + i)) for i in range(chunk)] for n in range(chunks)
    ]
    os.sync()

    env = isolated_env(folder)
    secret = load_seed()["workstations"][0]["secret"]
    sandbox = Sandbox(folder, env, faults="")
    totals = {name: [0, 0.0] for name in VARIANTS}
    try:
        client = CentralClient(sandbox.url)
        token = client.workstation_login("W01", secret).token
        client.close()
        bare_loop(sandbox.url, token, [canonical_json(make_case(10**6 + i)) for i in range(20)])

        for n in range(chunks):
            # Central's database grows and the disk's load changes as the run goes on:
            # the variants take turns, chunk by chunk, in a rotating order.
            order = VARIANTS[n % 3 :] + VARIANTS[: n % 3]
            for name in order:
                if name == "bare":
                    count, seconds = bare_loop(sandbox.url, token, bodies[n])
                elif name == "ours":
                    count, seconds = ours_drain(folder / f"ours-{n}", sandbox.url, chunk, secret)
                else:
                    with full_sync_marks():
                        count, seconds = ours_drain(
                            folder / f"full-{n}", sandbox.url, chunk, secret
                        )
                totals[name][0] += count
                totals[name][1] += seconds
    finally:
        sandbox.stop()
    return {name: count / seconds for name, (count, seconds) in totals.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=600, help="cases per measurement (600)")
    parser.add_argument("--chunk", type=int, default=50, help="drain cases per turn (50)")
    parser.add_argument("--dir", type=Path, default=None, help="work in DIR (same disk)")
    args = parser.parse_args(argv)
    if not 50 <= args.cases <= 20000 or not 10 <= args.chunk <= args.cases:
        parser.error("--cases must be 50-20000 and --chunk 10-CASES")

    with contextlib.ExitStack() as stack:
        if args.dir is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hc-outbox-")))
        else:
            folder = args.dir
            folder.mkdir(parents=True, exist_ok=True)
        # The outbox's data key goes to a key file in the bench folder, never the user's.
        os.environ["HALL_COUNTER_KEY_DIR"] = str(folder / "keys")
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

        print(f"folder {folder} (device {os.stat(folder).st_dev})")
        enqueue = bench_enqueue(folder, args.cases)
        ratio = enqueue["ours_p99"] / enqueue["bare_p99"]
        print(
            f"enqueue latency over {args.cases} cases (ms): ours p50 {enqueue['ours_p50']:.2f} "
            f"p99 {enqueue['ours_p99']:.2f} | bare SQLite insert p50 {enqueue['bare_p50']:.2f} "
            f"p99 {enqueue['bare_p99']:.2f} | p99 ratio {ratio:.2f} (goal <= {ENQUEUE_GOAL})"
        )

        drain = bench_drain(folder, args.cases, args.chunk)
        bare, ours, full = drain["bare"], drain["ours"], drain["ours_full_marks"]
        print(
            f"drain throughput over {args.cases} cases each, in turns of {args.chunk} "
            f"(cases/s): ours {ours:.1f} | bare requests.Session loop {bare:.1f} | "
            f"ratio {ours / bare:.2f} (goal >= {DRAIN_GOAL}) | ours with FULL-sync marks "
            f"{full:.1f} (ratio {full / bare:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
