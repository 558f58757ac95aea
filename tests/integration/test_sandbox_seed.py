"""The training data (seed, card profiles, photos) and seeding the sandbox's database."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from datetime import date
from pathlib import Path

import pytest
import requests

from desktop.resources import resource_path
from sandbox.app import create_app
from sandbox.server import EmbeddedSandbox

SEED = resource_path("sandbox", "seed.json")

# The citizens every part of the project relies on (the coordination table).
CITIZENS = {
    "c01": ("110105196210150016", "A10000011", "张伟明", "1", "1962-10-15", "T0", "123456"),
    "c02": ("31010419550308002X", "A10000029", "李秀兰", "2", "1955-03-08", "T1", "654321"),
    "c03": (
        "650102197804120042",
        "A10000037",
        "阿依古丽·买买提艾力阿不都热合曼",
        "2",
        "1978-04-12",
        "T0",
        "112233",
    ),
    "c04": ("440106198001010035", "A10000045", "王建国", "1", "1980-01-01", "T1", "246810"),
    "c05": ("510107199506200060", "A10000053", "陈静", "2", "1995-06-20", "T0", "135790"),
}


def _seed() -> dict:
    return json.loads(SEED.read_text("utf-8"))


def _check_digit_ok(ssn: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(ssn[:17], weights, strict=True))
    return "10X98765432"[total % 11] == ssn[17]


@pytest.mark.parametrize("cid", sorted(CITIZENS))
def test_card_profiles_agree_with_the_seed_and_the_card_spec(cid):
    ssn, card_no, name, sex, birth, protocol, pin = CITIZENS[cid]
    seeded = next(c for c in _seed()["citizens"] if c["ssn"] == ssn)
    assert (seeded["card_no"], seeded["name"], seeded["birth_date"]) == (card_no, name, birth)
    assert seeded["card_profile"] == f"../cards/{cid}.json"

    profile = json.loads((SEED.parent / seeded["card_profile"]).read_text("utf-8"))
    ef05, ef06 = profile["ef05"], profile["ef06"]
    assert (profile["generation"], profile["protocol"], profile["pin"]) == (2, protocol, pin)
    assert ef05["version"] == "2.00" and ef05["card_no"] == card_no
    assert re.fullmatch(r"\d{6}D156000005[0-9A-F]{16}", ef05["card_id_code"])
    assert re.fullmatch(r"\d{24}", ef05["init_org"])
    issue, expiry = (date.fromisoformat(ef05[k]) for k in ("issue_date", "expiry_date"))
    assert issue < expiry and issue.year >= 2021 and expiry.year >= 2031

    assert ef06["ssn"] == ssn and _check_digit_ok(ssn)
    assert ef06["name"] + ef06["name_ext"] == name
    assert len(ef06["name"].encode("gbk")) <= 30 and len(ef06["name_ext"].encode("gbk")) <= 20
    assert (ef06["sex"], ef06["birth_date"]) == (sex, birth.replace("-", ""))
    assert int(ssn[16]) % 2 == (1 if sex == "1" else 0)
    assert ssn[6:14] == ef06["birth_date"]


def test_only_the_long_name_has_a_name_extension():
    profiles = {
        cid: json.loads(resource_path("cards", f"{cid}.json").read_text("utf-8"))
        for cid in CITIZENS
    }
    with_ext = [cid for cid, p in profiles.items() if p["ef06"]["name_ext"]]
    assert with_ext == ["c03"]
    assert len(profiles["c03"]["ef06"]["name"]) == 15


def test_seed_photos_are_local_and_carry_no_metadata():
    for citizen in _seed()["citizens"]:
        for key in ("face_reference", "face_probe"):
            path = (SEED.parent / citizen[key]).resolve()
            assert path.is_relative_to(resource_path("sandbox").resolve())
            data = path.read_bytes()
            if path.suffix == ".png":
                assert data.startswith(b"\x89PNG") and b"iTXt" not in data and b"tEXt" not in data
            else:
                assert data.startswith(b"\xff\xd8\xff")
                assert b"Exif\x00\x00" not in data and b"http://ns.adobe.com/xap" not in data


def _copy_seed(tmp_path: Path, **citizen_changes) -> Path:
    """The bundled seed with absolute paths, with changes to c01."""
    seed = _seed()
    seed["services"] = str(resource_path("services.json"))
    for citizen in seed["citizens"]:
        for key in ("card_profile", "face_reference", "face_probe"):
            citizen[key] = str((SEED.parent / citizen[key]).resolve())
        if citizen["ssn"] == CITIZENS["c01"][0]:
            citizen.update(citizen_changes)
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    return path


def _refs(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("select ssn, person_ref from citizens"))


def test_reseeding_is_idempotent_and_keeps_person_refs(tmp_path):
    db = tmp_path / "central.db"
    create_app(db, SEED, advance_seconds=0).state.close()
    first = _refs(db)
    assert sorted(first) == sorted(c[0] for c in CITIZENS.values())

    create_app(db, SEED, advance_seconds=0).state.close()
    assert _refs(db) == first

    # A changed seed is applied in place: same people, same refs, new card status.
    create_app(db, _copy_seed(tmp_path, card_status="lost"), advance_seconds=0).state.close()
    assert _refs(db) == first
    with sqlite3.connect(db) as conn:
        statuses = dict(conn.execute("select ssn, card_status from citizens"))
        (staff,) = conn.execute("select count(*) from staff").fetchone()
    assert statuses[CITIZENS["c01"][0]] == "lost" and staff == 3


def test_a_lost_card_is_reported_and_refused_for_cases(tmp_path):
    seed = _copy_seed(tmp_path, card_status="lost")
    with (
        EmbeddedSandbox(tmp_path / "central.db", seed, advance_seconds=0) as central,
        requests.Session() as http,
    ):
        http.trust_env = False
        token = http.post(
            f"{central.url}/v1/auth/login",
            json={"username": "clerk01", "password": "clerk01-training"},
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        ssn, card_no = CITIZENS["c01"][:2]

        person = http.post(
            f"{central.url}/v1/persons/lookup", json={"ssn": ssn, "card_no": card_no}, headers=auth
        ).json()
        assert person["card_status"] == "lost"

        case = {
            "local_id": "W01-0001",
            "service": "card_loss_report",
            "hall_id": "H0001",
            "workstation_id": "W01",
            "clerk": "clerk01",
            "created_at": "2026-12-04T08:30:00Z",
            "citizen": {"person_ref": person["person_ref"], "ssn": ssn, "card_no": card_no},
            "identity": {"pin": "ok", "face": {"decision": "not_required"}},
            "form": {"loss_kind": "temporary"},
        }
        answer = http.post(
            f"{central.url}/v1/cases",
            json=case,
            headers={**auth, "Idempotency-Key": str(uuid.uuid4())},
        )
        assert answer.status_code == 422
        assert answer.json()["error"]["fields"] == {"citizen.card_no": "card_lost"}
