"""Helpers for the sign-in, roles, approval and audit tests: seeds, a central, a desk rig.

Everything runs for real: the sandbox under uvicorn on a loopback port, the desk built by
``ui.app.build_desk`` with the simulated card reader (an in-process card emulator), SQLite files
in the test's own folder.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from desktop.resources import resource_path

CARDS = resource_path("cards")
PASSWORDS = {
    "clerk01": "clerk01-training",
    "super01": "super01-training",
    "admin01": "admin01-training",
    "super02": "super02-training",
    "clerk02": "clerk02-training",
}
C01 = {"ssn": "110105196210150016", "card_no": "A10000011"}
PINS = {"c01": "123456", "c02": "654321", "c04": "246810"}
FORM = {
    "reason_for_leaving": "contract_expired",
    "last_employer": "示例贸易有限公司",
    "insured_months": 36,
    "amount": 2130.5,
}
# Opening hours that are never / always open, so tests never depend on the time they run.
NEVER_OPEN = {"days": [], "sessions": []}
ALWAYS_OPEN = {"days": [1, 2, 3, 4, 5, 6, 7], "sessions": ["00:00-24:00"]}


def write_seed(
    tmp_path: Path,
    *,
    opening_hours: dict[str, Any] | None = ALWAYS_OPEN,
    multi_stage: bool = True,
) -> Path:
    """The training seed with absolute paths, two more staff members and, with
    ``multi_stage``, unemployment benefits over 20000 needing two supervisors and over 50000
    two supervisors and an admin."""
    base = resource_path("sandbox")
    seed = json.loads((base / "seed.json").read_text(encoding="utf-8"))
    services = json.loads(
        (base / seed.get("services", "../services.json")).read_text(encoding="utf-8")
    )
    if multi_stage:
        for service in services:
            if service["code"] == "unemployment_benefit":
                service["approval"] += [
                    {
                        "when": "amount_over",
                        "field": "amount",
                        "limit": 20000,
                        "stages": ["supervisor", "supervisor"],
                    },
                    {
                        "when": "amount_over",
                        "field": "amount",
                        "limit": 50000,
                        "stages": ["supervisor", "supervisor", "admin"],
                    },
                ]
    services_path = tmp_path / "services.json"
    services_path.write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
    seed["services"] = str(services_path)
    for citizen in seed["citizens"]:
        for key in ("card_profile", "face_reference", "face_probe"):
            if citizen.get(key):
                citizen[key] = str((base / citizen[key]).resolve())
    seed["staff"] += [
        # Second factors: super02's reference photo is c05's (the training photos are all we
        # have), clerk02's own card is the sample card c04 (PIN 246810).
        {
            "username": "super02",
            "password": PASSWORDS["super02"],
            "name": "冯洁",
            "roles": ["supervisor"],
            "face_reference": str((base / "faces" / "c05-ref.jpg").resolve()),
        },
        {
            "username": "clerk02",
            "password": PASSWORDS["clerk02"],
            "name": "陈亮",
            "roles": ["clerk"],
            "card_no": "A10000045",
        },
    ]
    if opening_hours is not None:
        seed["hall"]["opening_hours"] = opening_hours
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    return path


class Http:
    """Plain HTTP calls against a sandbox (no proxies: everything is loopback)."""

    def __init__(self, url: str):
        self.url = url
        self.session = requests.Session()
        self.session.trust_env = False

    def close(self) -> None:
        self.session.close()

    def login(self, username: str) -> str:
        answer = self.session.post(
            f"{self.url}/v1/auth/login",
            json={"username": username, "password": PASSWORDS[username]},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["token"]

    def workstation(self, workstation_id: str = "W01", secret: str = "w01-training-secret") -> str:
        answer = self.session.post(
            f"{self.url}/v1/auth/workstation",
            json={"workstation_id": workstation_id, "secret": secret},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["token"]

    def get(self, token: str, path: str) -> requests.Response:
        return self.session.get(f"{self.url}{path}", headers=_bearer(token))

    def post(self, token: str, path: str, body: Any, **headers: str) -> requests.Response:
        return self.session.post(
            f"{self.url}{path}", json=body, headers={**_bearer(token), **headers}
        )

    def person_ref(self, token: str, person: dict[str, str] = C01) -> str:
        answer = self.post(token, "/v1/persons/lookup", person)
        assert answer.status_code == 200, answer.text
        return answer.json()["person_ref"]

    def submit(self, token: str, body: dict[str, Any]) -> requests.Response:
        return self.post(token, "/v1/cases", body, **{"Idempotency-Key": str(uuid.uuid4())})

    def decide(
        self, token: str, case_id: str, stage: int, decision: str = "approved", reason: str = "ok"
    ) -> requests.Response:
        body = {"stage": stage, "decision": decision, "reason": reason}
        return self.post(token, f"/v1/cases/{case_id}/approvals", body)

    def inbox(self, token: str, **query: Any) -> requests.Response:
        suffix = "&".join(f"{k}={v}" for k, v in query.items())
        return self.get(token, "/v1/approvals" + (f"?{suffix}" if suffix else ""))

    def alerts(self, token: str) -> list[dict[str, Any]]:
        answer = self.get(token, "/v1/alerts")
        assert answer.status_code == 200, answer.text
        return answer.json()["alerts"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def case_body(person_ref: str, *, clerk: str = "clerk01", amount: float = 2130.5, **changes: Any):
    """A case of unemployment benefit for c01, as a desk sends it."""
    body = {
        "local_id": f"W01-{uuid.uuid4().hex[:8]}",
        "service": "unemployment_benefit",
        "hall_id": "H0001",
        "workstation_id": "W01",
        "clerk": clerk,
        "created_at": datetime.now(UTC).isoformat(),
        "citizen": {"person_ref": person_ref, **C01},
        "identity": {
            "pin": "ok",
            "face": {"decision": "match", "distance": 0.38, "threshold": 0.6},
            "offline": False,
        },
        "form": {**FORM, "amount": amount},
        "cosign": None,
    }
    body.update(changes)
    return body


class Listener:
    """Records every desk event; ``wait_for(name)`` waits until one arrived."""

    def __init__(self):
        self.events: list[tuple] = []
        self._cond = threading.Condition()

    def __getattr__(self, name: str):
        if not name.startswith("on_"):
            raise AttributeError(name)

        def record(*args: Any) -> None:
            with self._cond:
                self.events.append((name, *args))
                self._cond.notify_all()

        return record

    def named(self, name: str) -> list[tuple]:
        with self._cond:
            return [e for e in self.events if e[0] == name]

    def wait_for(self, name: str, timeout: float = 30.0, count: int = 1) -> list[tuple]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.named(name)) >= count, timeout)
            return self.named(name)


class DeskRig:
    """A running sandbox and a desk on it (simulated reader, no face worker)."""

    def __init__(
        self, tmp_path: Path, *, seed: Path | None = None, security: Any = None, face: bool = False
    ):
        from desktop.sync import Backoff
        from devices.card.simulated import SimulatedCardReader
        from sandbox.server import EmbeddedSandbox

        self.tmp_path = tmp_path
        self.seed = seed or write_seed(tmp_path)
        self.sandbox = EmbeddedSandbox(tmp_path / "central.db", self.seed, advance_seconds=0)
        self.reader = SimulatedCardReader()
        self.security = security
        self.face = face
        self.listener = Listener()
        self._backoff = Backoff(base=0.05, cap=0.2, floor=0.02)
        self.desk: Any = None

    def start(self) -> DeskRig:
        from ui.app import training_settings

        self.url = self.sandbox.start()
        self.settings = training_settings(self.url)
        self.desk = self.build()
        self.desk.start()
        return self

    def build(self) -> Any:
        from desktop.desk import Desk
        from ui.app import build_desk

        desk: Desk = build_desk(
            self.settings,
            reader="sim",
            data_dir=self.tmp_path / "desk",
            sim_reader=self.reader,
            face=self.face,
            backoff=self._backoff,
            heartbeat_seconds=None,
        )
        if self.security is not None:
            desk.guard.policy = self.security
        desk.add_listener(self.listener)
        return desk

    def restart_desk(self) -> None:
        self.desk.stop()
        self.desk = self.build()
        self.desk.start()

    def stop(self) -> None:
        if self.desk is not None:
            self.desk.stop()
        self.sandbox.stop()

    def __enter__(self) -> DeskRig:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def sign_in(self, username: str) -> Any:
        staff = self.desk.sign_in(username, PASSWORDS[username]).result(30)
        if staff.mode == "online":
            self.desk.services().result(30)  # the catalog, as the clerk's window loads it
        return staff

    def citizen(self, card: str = "c01") -> Any:
        self.reader.insert(CARDS / f"{card}.json")
        return self.desk.begin_citizen().result(30)

    def audit_rows(self) -> list[dict[str, Any]]:
        """The desk's audit records (after the queue is written)."""
        from desktop.audit import AuditStore

        self.desk.guard.audit.flush(10)
        store = AuditStore(self.desk.guard.audit.data_dir, None, readonly=True)
        try:
            return [e.to_json() for e in store.entries()]
        finally:
            store.close()
