"""Face verification with the real dlib models on the real photos in shared/faces.

Genuine pairs (same folder) must match and impostor pairs (different folders) must not at the
calibrated threshold; odd inputs come back as quality codes. Images are read into memory and
variants are made in memory or in the test's tmp_path, never beside the originals.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from devices.face.matcher import DEFAULT_THRESHOLD, FaceMatcher, FaceResult, Reference

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "faces"

# The seeded citizens' reference and probe photos (spec: c01..c05).
SEEDED_PAIRS = [
    ("p01/01.jpg", "p01/02.jpg"),
    ("p02/01.jpg", "p02/02.jpg"),
    ("p03/01.png", "p03/02.jpg"),
    ("p04/01.jpg", "p04/02.jpg"),
    ("p05/01.jpg", "p05/02.jpg"),
]

# One photo per person from a distinct photograph; the calibration set of docs/face.md.
DISTINCT_PHOTOS = [
    "p01/01.jpg", "p01/02.jpg", "p01/03.jpg", "p01/04.jpg",
    "p02/01.jpg", "p02/02.jpg",
    "p03/01.png", "p03/02.jpg", "p03/03.jpg",
    "p04/01.jpg", "p04/02.jpg", "p04/03.jpg",
    "p05/01.jpg", "p05/02.jpg",
    "p06/01.png",
]  # fmt: skip

pytestmark = pytest.mark.skipif(not FACES.is_dir(), reason=f"test photos not found at {FACES}")


@pytest.fixture(scope="module")
def matcher() -> FaceMatcher:
    return FaceMatcher()


@pytest.fixture(scope="module")
def references(matcher) -> dict[str, Reference]:
    """Each calibration photo encoded once for the module."""
    return {name: matcher.encode_reference(FACES / name) for name in DISTINCT_PHOTOS}


def _bytes(name: str) -> bytes:
    return (FACES / name).read_bytes()


def _reencode(name: str, fmt: str, convert: str | None = None, **params) -> bytes:
    with Image.open(FACES / name) as image:
        if convert:
            image = image.convert(convert)
        buffer = io.BytesIO()
        image.save(buffer, fmt, **params)
    return buffer.getvalue()


@pytest.mark.parametrize(("reference", "probe"), SEEDED_PAIRS, ids=lambda n: n)
def test_seeded_citizen_pairs_match(matcher, references, reference, probe):
    result = matcher.verify(references[reference], _bytes(probe))

    assert result.quality == "ok"
    assert result.faces == 1
    assert result.match is True
    assert result.distance < DEFAULT_THRESHOLD
    assert result.threshold == DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("reference", "probe"),
    [("p01/01.jpg", "p02/02.jpg"), ("p04/01.jpg", "p05/02.jpg"), ("p03/01.png", "p06/01.png")],
    ids=lambda n: n,
)
def test_impostor_pairs_do_not_match(matcher, references, reference, probe):
    result = matcher.verify(references[reference], _bytes(probe))

    assert result.quality == "ok"
    assert result.match is False
    assert result.distance > DEFAULT_THRESHOLD


def test_calibration_set_is_separated_by_the_default_threshold(references):
    """Every genuine pair below, every impostor pair above: what docs/face.md reports."""
    assert all(ref.quality == "ok" for ref in references.values())
    genuine, impostor = [], []
    for a, b in itertools.combinations(DISTINCT_PHOTOS, 2):
        same_person = a.split("/")[0] == b.split("/")[0]
        (genuine if same_person else impostor).append(references[a].distance(references[b]))

    assert len(genuine) == 14 and len(impostor) == 91
    assert max(genuine) < DEFAULT_THRESHOLD < min(impostor)


def test_group_photo_counts_faces_and_judges_the_largest(matcher, references):
    group = _bytes("group/p04-p05.jpg")  # p04's face is the larger one

    as_p04 = matcher.verify(references["p04/01.jpg"], group)
    as_p05 = matcher.verify(references["p05/01.jpg"], group)

    assert as_p04.faces >= 2 and as_p04.quality == "multiple_faces"
    assert as_p04.match is True
    assert as_p05.faces == as_p04.faces
    assert as_p05.match is False  # p05 is in the picture, but not the face that is judged


def test_probe_without_a_face_is_no_face(matcher, references, tmp_path):
    ramp = np.tile(np.linspace(0, 255, 640, dtype=np.uint8), (480, 1))
    gradient = tmp_path / "gradient.png"
    Image.fromarray(np.stack([ramp, ramp[:, ::-1], np.full_like(ramp, 128)], axis=2)).save(gradient)

    result = matcher.verify(references["p01/01.jpg"], gradient)

    assert (result.quality, result.faces, result.match, result.distance) == (
        "no_face",
        0,
        None,
        None,
    )


@pytest.mark.parametrize(
    "probe",
    [b"", b"\x89PNG\r\n\x1a\n not really", (FACES / "p01/02.jpg").read_bytes()[:20000]],
    ids=["empty", "corrupt", "truncated"],
)
def test_unreadable_probe(matcher, references, probe):
    result = matcher.verify(references["p01/01.jpg"], probe)

    assert result.quality == "unreadable"
    assert result.match is None and result.distance is None and result.faces == 0


@pytest.mark.parametrize(
    "probe",
    [
        pytest.param(lambda: (FACES / "edge/rgba-32bit.png").read_bytes(), id="rgba-png-shared"),
        pytest.param(lambda: _reencode("p01/02.jpg", "PNG", "RGBA"), id="rgba-png"),
        pytest.param(lambda: _reencode("p01/02.jpg", "JPEG", "L"), id="grayscale-jpeg"),
        pytest.param(lambda: _reencode("p01/02.jpg", "JPEG", "CMYK"), id="cmyk-jpeg"),
        pytest.param(
            lambda: np.asarray(Image.open(FACES / "p01/02.jpg").convert("RGB")), id="array"
        ),
        pytest.param(lambda: FACES / "p01/02.jpg", id="path"),
    ],
)
def test_odd_formats_still_match(matcher, references, probe):
    result = matcher.verify(references["p01/01.jpg"], probe())

    assert result.quality == "ok"
    assert result.match is True


def test_exif_rotated_photo_is_turned_upright(matcher, references):
    with Image.open(FACES / "p01/02.jpg") as image:
        sideways = image.convert("RGB").rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    buffer = io.BytesIO()
    sideways.save(buffer, "JPEG", quality=92, exif=exif.tobytes())

    result = matcher.verify(references["p01/01.jpg"], buffer.getvalue())

    assert result.quality == "ok"
    assert result.match is True


def test_unusable_references_are_reported_without_examining_the_probe(matcher):
    unreadable = matcher.encode_reference(b"not an image")
    faceless = matcher.encode_reference(np.full((300, 300, 3), 128, dtype=np.uint8))

    assert (unreadable.usable, unreadable.quality) == (False, "unreadable")
    assert (faceless.usable, faceless.quality) == (False, "no_face")
    probe = _bytes("p01/02.jpg")
    assert matcher.verify(unreadable, probe).quality == "reference_unreadable"
    assert matcher.verify(faceless, probe).quality == "reference_no_face"
    assert matcher.verify(faceless, probe).match is None


def test_threshold_decides_and_is_reported(references):
    strict = FaceMatcher(threshold=0.2)
    result = strict.verify(references["p01/01.jpg"], _bytes("p01/02.jpg"))

    assert result.threshold == 0.2
    assert result.distance > 0.2
    assert result.match is False


def test_result_json_has_the_cli_fields(matcher, references):
    result = matcher.verify(references["p02/01.jpg"], _bytes("p02/02.jpg"))

    assert isinstance(result, FaceResult)
    assert set(result.to_json()) == {
        "match", "distance", "threshold", "faces", "quality", "prompt", "ms",
    }  # fmt: skip
    assert result.ms > 0
    assert result.prompt is None  # judged: nothing to ask of the citizen


def test_the_case_keeps_the_decision_distance_threshold_and_liveness_only(matcher, references):
    result = matcher.verify(references["p02/01.jpg"], _bytes("p02/02.jpg"))

    record = result.case_record()

    assert record == {
        "decision": "match",
        "distance": round(result.distance, 4),
        "threshold": DEFAULT_THRESHOLD,
        "liveness": None,
    }
    refused = matcher.verify(references["p02/01.jpg"], b"")
    assert refused.case_record()["decision"] == "unavailable"


def test_probe_encodings_give_the_distances_verify_computes(matcher, references):
    probe = matcher.encode_probe(FACES / "p04/02.jpg")
    small = matcher.encode_probe(FACES / "p01/08-240p.jpg")

    result = matcher.verify(references["p04/01.jpg"], FACES / "p04/02.jpg")
    assert probe.distance(references["p04/01.jpg"]) == pytest.approx(result.distance, abs=1e-9)
    assert (small.usable, small.quality) == (False, "too_small")


def test_an_observation_never_shows_its_landmarks(matcher):
    seen = matcher.observe(FACES / "p01/02.jpg")

    assert seen.points is not None and seen.points.shape == (68, 2)
    assert repr(seen).startswith("Observation(faces=1, quality='ok', box=(")
    assert "array" not in repr(seen)


def test_reference_repr_does_not_leak_the_encoding(references):
    text = repr(references["p01/01.jpg"])

    assert text == "Reference(quality='ok', faces=1)"
