"""Card bench: APDUs and time per full card read through pcscd + vpcd + our emulator.

    .venv/bin/python bench/card.py [--runs N] [--port 35963|35964]

For each case (a second-generation card on T=0 and on T=1, a third-generation card on T=0 and
on T=1 read with the test key) it attaches the card to a vpcd slot (taking the slot's lock, as
the tests do), then reads it ``--runs`` times through :class:`PcscCardReader`, each read a
fresh exclusive connection: SELECT, EF05, EF06 (and GET CHALLENGE + EXTERNAL AUTHENTICATE on
the third generation). It prints:

- APDUs: raw exchanges per read, as the card saw them (GET RESPONSE and 6Cxx resends
  included), and the minimum the same data needs: one SELECT, one READ RECORD per record the
  card holds, and on the third generation GET CHALLENGE and EXTERNAL AUTHENTICATE;
- ms: median and slowest read (connect + read + disconnect);
- the identity re-read (before VERIFY and before a commit);
- the goals: at most 16 APDUs and under 1 s for a second-generation read, at most 19 APDUs
  for a third-generation read with authentication.

Needs pcscd with the vpcd driver (as the card tests do). Timings depend on the machine and
the load; nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

GOAL_GEN2_APDUS = 16
GOAL_GEN2_MS = 1000.0
GOAL_GEN3_APDUS = 19

CASES = [
    ("gen-2 T=0", "c01", False),
    ("gen-2 T=1", "c02", False),
    ("gen-3 T=0 + key", "gen3_t0", True),
    ("gen-3 T=1 + key", "gen3_t1", True),
]


def minimum_apdus(emulator) -> int:
    """What the data needs at the least: SELECT, one READ RECORD per record present, and the
    authentication on the third generation."""
    records = sum(len(values) for values in emulator._records.values())
    select = 1 if emulator.profile["ssse_by_name"] else 2
    auth = 2 if emulator.generation >= 3 else 0
    return select + auth + records


def bench_case(label: str, profile: str, with_key: bool, port: int, runs: int) -> dict:
    """Attach the card, read it ``runs`` times, detach; the figures."""
    from pcsc_support import VPCD_SLOTS, VpcdCards, card_profile

    from devices.card.emulator import load_profile
    from devices.card.keys import TestKeyService
    from devices.card.pcsc import PcscCardReader

    path = card_profile(profile)
    key = TestKeyService(bytes.fromhex(load_profile(path)["test_key"])) if with_key else None
    cards = VpcdCards()
    try:
        link = cards.attach(path, port)
        emulator = link.emulator
        reader = PcscCardReader(VPCD_SLOTS[port])
        apdus: list[int] = []
        times: list[float] = []
        identity: list[tuple[int, float]] = []
        try:
            for _ in range(runs):
                before = emulator.commands
                started = time.perf_counter()
                with reader.connect() as connection:
                    record = connection.card().read_record(key_service=key)
                times.append((time.perf_counter() - started) * 1000)
                apdus.append(emulator.commands - before)
                assert not record.protected, record.protected

                before = emulator.commands
                started = time.perf_counter()
                with reader.connect() as connection:
                    connection.card().read_identity()
                identity.append(
                    (emulator.commands - before, (time.perf_counter() - started) * 1000)
                )
        finally:
            reader.close()
        minimum = minimum_apdus(emulator)
    finally:
        cards.close()
    return {
        "case": label,
        "apdus": max(apdus),
        "minimum": minimum,
        "ms_median": statistics.median(times),
        "ms_max": max(times),
        "identity_apdus": max(a for a, _ in identity),
        "identity_ms": statistics.median(ms for _, ms in identity),
        "generation": 3 if with_key else 2,
    }


def verdict(row: dict) -> str:
    """The goal for the case and whether it is met."""
    if row["generation"] == 2:
        ok = row["apdus"] <= GOAL_GEN2_APDUS and row["ms_median"] < GOAL_GEN2_MS
        goal = f"<= {GOAL_GEN2_APDUS} APDUs, < {GOAL_GEN2_MS:.0f} ms"
    else:
        ok = row["apdus"] <= GOAL_GEN3_APDUS
        goal = f"<= {GOAL_GEN3_APDUS} APDUs"
    return f"{goal}: {'met' if ok else 'MISSED'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="reads per case (default 5)")
    parser.add_argument("--port", type=int, default=35963, choices=(35963, 35964))
    args = parser.parse_args(argv)

    from pcsc_support import PcscUnavailable, ensure_pcscd

    try:
        pcscd = ensure_pcscd()
    except PcscUnavailable as exc:
        print(f"bench/card.py: {exc}", file=sys.stderr)
        return 1
    try:
        rows = [bench_case(*case, args.port, args.runs) for case in CASES]
    finally:
        pcscd.stop()

    header = (
        f"{'case':<18}{'APDUs':>6}{'min':>5}{'ms med':>9}{'ms max':>9}"
        f"{'id APDUs':>10}{'id ms':>8}  goal"
    )
    print(f"Full card read through pcscd + vpcd, {args.runs} runs per case")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['case']:<18}{row['apdus']:>6}{row['minimum']:>5}{row['ms_median']:>9.0f}"
            f"{row['ms_max']:>9.0f}{row['identity_apdus']:>10}{row['identity_ms']:>8.0f}  "
            f"{verdict(row)}"
        )
    print(
        "\nAPDUs: exchanges per full read (the card's count); min: SELECT + one READ RECORD "
        "per record present (+ GET CHALLENGE and EXTERNAL AUTHENTICATE on gen-3); a card "
        "without a 4E record costs one probe more than its minimum. id: the identity re-read "
        "before VERIFY and before a commit."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
