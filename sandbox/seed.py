"""The training seed: halls, staff, workstations, citizens and the service catalog.

The seed file (design section 9) names its other files relative to itself. Applying a seed is
idempotent: rows are matched by their natural keys (username, workstation id, ID number, service
code) and updated in place, so a citizen keeps the same ``person_ref`` across re-seeds and cases
keep pointing at the right person. A seed whose content (with the files it names) was already
applied is skipped, which keeps start-up cheap (no scrypt per staff member).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.contract import OpeningHours, Role, Service, parse_services
from desktop.resources import resource_path
from sandbox.auth import hash_secret
from sandbox.db import (
    Citizen,
    EcardCode,
    Hall,
    HallSettings,
    Meta,
    ServiceRow,
    Staff,
    StaffFactor,
    Workstation,
)

log = logging.getLogger(__name__)


class SeedError(Exception):
    """The seed file or a file it names is missing or malformed."""


class _SeedModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SeedHall(_SeedModel):
    """The hall the seed's staff and workstations belong to.

    ``opening_hours`` (optional, :class:`desktop.contract.OpeningHours`): when the hall is
    open; approvals decided outside these hours raise an alert.
    """

    id: str
    name: str
    opening_hours: OpeningHours | None = None


class SeedWorkstation(_SeedModel):
    """A workstation with its (training) secret."""

    id: str
    secret: str = Field(min_length=8)
    name: str = ""


class SeedStaff(_SeedModel):
    """A staff member with a (training) password.

    Optional second factors: ``card_no`` (their own card, for the ``card_pin`` factor) and
    ``face_reference`` (a photo, relative to the seed, for the ``face`` factor).
    """

    username: str
    password: str = Field(min_length=8)
    name: str
    roles: list[Role]
    card_no: str | None = None
    face_reference: str | None = None


class SeedCitizen(_SeedModel):
    """A synthetic citizen, their card and their photos (paths relative to the seed)."""

    ssn: str
    card_no: str
    name: str
    birth_date: date
    sex: Literal["1", "2"] | None = None
    card_status: Literal["normal", "lost", "cancelled", "replaced"] = "normal"
    card_profile: str | None = None
    face_reference: str | None = None
    face_probe: str | None = None
    # The citizen's electronic card code for training (an opaque QR payload, 16-4096
    # printable characters without spaces): central answers it like the physical card.
    ecard_payload: str | None = Field(
        default=None, min_length=16, max_length=4096, pattern=r"^[!-~]+$", repr=False
    )


class Seed(_SeedModel):
    """The whole seed file."""

    hall: SeedHall
    services: str | None = None
    workstations: list[SeedWorkstation] = []
    staff: list[SeedStaff] = []
    citizens: list[SeedCitizen] = []


def media_type(image: bytes) -> str | None:
    """The media type of a JPEG or PNG image, from its magic bytes; None for anything else."""
    if image.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if image.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def load_seed(seed_path: Path) -> tuple[Seed, list[Service], dict[str, bytes], str]:
    """Read and check a seed file.

    Returns the seed, the service catalog it names (or the bundled ``services.json``), the
    reference photos by ID number, and a digest of all of it.
    """
    seed_path = Path(seed_path)
    try:
        raw = seed_path.read_bytes()
        seed = Seed.model_validate_json(raw)
    except OSError as exc:
        raise SeedError(f"cannot read seed file {seed_path}: {exc.strerror}") from exc
    except ValidationError as exc:
        raise SeedError(f"seed file {seed_path} is malformed: {exc}") from exc
    base = seed_path.parent
    digest = hashlib.sha256(raw)

    services_path = base / seed.services if seed.services else resource_path("services.json")
    try:
        services_raw = services_path.read_bytes()
        services = parse_services(json.loads(services_raw))
    except OSError as exc:
        raise SeedError(f"cannot read service catalog {services_path}: {exc.strerror}") from exc
    except (ValueError, ValidationError) as exc:
        raise SeedError(f"service catalog {services_path} is malformed: {exc}") from exc
    _check_forms(services, services_path)
    digest.update(services_raw)

    faces: dict[str, bytes] = {}
    for citizen in seed.citizens:
        if not citizen.face_reference:
            continue
        face_path = base / citizen.face_reference
        try:
            image = face_path.read_bytes()
        except OSError as exc:
            raise SeedError(f"cannot read reference photo {face_path}: {exc.strerror}") from exc
        if media_type(image) is None:
            raise SeedError(f"reference photo {face_path} is neither JPEG nor PNG")
        faces[citizen.ssn] = image
        digest.update(hashlib.sha256(image).digest())

    for staff in seed.staff:
        if not staff.face_reference:
            continue
        face_path = base / staff.face_reference
        try:
            image = face_path.read_bytes()
        except OSError as exc:
            raise SeedError(f"cannot read staff photo {face_path}: {exc.strerror}") from exc
        if media_type(image) is None:
            raise SeedError(f"staff photo {face_path} is neither JPEG nor PNG")
        faces[f"staff:{staff.username}"] = image
        digest.update(hashlib.sha256(image).digest())

    _check_unique(seed)
    return seed, services, faces, digest.hexdigest()


def _check_forms(services: list[Service], path: Path) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    codes = [s.code for s in services]
    if len(set(codes)) != len(codes):
        raise SeedError(f"service catalog {path} repeats a service code")
    for service in services:
        try:
            Draft202012Validator.check_schema(service.form)
        except SchemaError as exc:
            raise SeedError(f"service {service.code}: form is not a JSON Schema: {exc}") from exc


def _check_unique(seed: Seed) -> None:
    for what, values in (
        ("staff username", [s.username for s in seed.staff]),
        ("workstation id", [w.id for w in seed.workstations]),
        ("citizen ssn", [c.ssn for c in seed.citizens]),
        ("citizen card_no", [c.card_no for c in seed.citizens]),
        ("citizen ecard_payload", [c.ecard_payload for c in seed.citizens if c.ecard_payload]),
    ):
        if len(set(values)) != len(values):
            raise SeedError(f"seed repeats a {what}")


def apply_seed(session: Session, seed_path: Path) -> bool:
    """Bring the database in line with the seed; returns False when it already was.

    Runs in the caller's transaction; the caller commits.
    """
    seed, services, faces, digest = load_seed(seed_path)
    applied = session.get(Meta, "seed_digest")
    if applied is not None and applied.value == digest:
        log.info("seed already applied")
        return False

    hall = session.get(Hall, seed.hall.id) or Hall(id=seed.hall.id)
    hall.name = seed.hall.name
    session.add(hall)
    session.flush()
    hours = session.get(HallSettings, seed.hall.id) or HallSettings(hall_id=seed.hall.id)
    hours.opening_hours = (
        seed.hall.opening_hours.model_dump(mode="json") if seed.hall.opening_hours else None
    )
    session.add(hours)

    for item in seed.workstations:
        ws = session.get(Workstation, item.id) or Workstation(id=item.id)
        ws.name = item.name
        ws.hall_id = seed.hall.id
        ws.secret_hash = hash_secret(item.secret)
        session.add(ws)

    for item in seed.staff:
        staff = session.get(Staff, item.username) or Staff(username=item.username)
        staff.name = item.name
        staff.roles = list(item.roles)
        staff.hall_id = seed.hall.id
        staff.password_hash = hash_secret(item.password)
        staff.failed_logins = 0
        staff.locked_until = None
        session.add(staff)
        session.flush()
        factor = session.get(StaffFactor, item.username) or StaffFactor(username=item.username)
        factor.card_no = item.card_no.strip().upper() if item.card_no else None
        factor.face_image = faces.get(f"staff:{item.username}")
        factor.face_media_type = media_type(factor.face_image) if factor.face_image else None
        session.add(factor)

    for item in seed.citizens:
        _upsert_citizen(session, item, faces.get(item.ssn))

    # The catalog is replaced as a whole: a service the seed dropped disappears.
    keep = {s.code for s in services}
    for row in session.scalars(select(ServiceRow)):
        if row.code not in keep:
            session.delete(row)
    for position, service in enumerate(services):
        row = session.get(ServiceRow, service.code) or ServiceRow(code=service.code)
        row.position = position
        row.body = service.model_dump(mode="json")
        session.add(row)

    if applied is None:
        session.add(Meta(key="seed_digest", value=digest))
    else:
        applied.value = digest
    log.info(
        "seed applied: %s staff, %s workstations, %s citizens, %s services",
        len(seed.staff),
        len(seed.workstations),
        len(seed.citizens),
        len(services),
    )
    return True


def _upsert_citizen(session: Session, item: SeedCitizen, face: bytes | None) -> None:
    ssn = item.ssn.strip().upper()
    card_no = item.card_no.strip().upper()
    citizen = session.scalars(select(Citizen).where(Citizen.ssn == ssn)).one_or_none()
    if citizen is None:
        # A card number that moved to another person in the new seed must be freed first.
        clash = session.scalars(select(Citizen).where(Citizen.card_no == card_no)).one_or_none()
        if clash is not None:
            clash.card_no = f"~{clash.person_ref[:15]}"
            session.flush()
        citizen = Citizen(person_ref="P" + secrets.token_hex(10), ssn=ssn)
    citizen.card_no = card_no
    citizen.name = item.name
    citizen.sex = item.sex
    citizen.birth_date = item.birth_date
    citizen.card_status = item.card_status
    citizen.face_source = item.face_reference
    citizen.face_image = face
    citizen.face_media_type = media_type(face) if face else None
    session.add(citizen)
    session.flush()
    # The e-card code: only its digest is kept; a code the seed dropped stops working.
    for row in session.scalars(select(EcardCode).where(EcardCode.person_ref == citizen.person_ref)):
        session.delete(row)
    if item.ecard_payload:
        session.flush()
        digest = ecard_digest(item.ecard_payload)
        session.add(EcardCode(digest=digest, person_ref=citizen.person_ref))


def ecard_digest(payload: str) -> str:
    """The key an e-card code is kept under: the SHA-256 of the payload, in hex."""
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
