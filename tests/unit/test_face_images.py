"""Decoding images for face verification: odd formats become plain RGB, bad input a clear error.

These run without dlib: synthetic images made with Pillow in memory.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from devices.face import images
from devices.face.images import ImageUnreadableError, downscaled, load_rgb


def _encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def _pattern(width: int = 60, height: int = 40) -> Image.Image:
    """A left-to-right red ramp over a top-to-bottom green ramp: orientation is visible."""
    x = np.linspace(0, 255, width, dtype=np.uint8)[np.newaxis, :].repeat(height, 0)
    y = np.linspace(0, 255, height, dtype=np.uint8)[:, np.newaxis].repeat(width, 1)
    return Image.fromarray(np.stack([x, y, np.full_like(x, 90)], axis=2))


def test_rgb_jpeg_bytes_decode_to_uint8_rgb():
    rgb = load_rgb(_encode(_pattern(), "JPEG", quality=95))

    assert rgb.shape == (40, 60, 3)
    assert rgb.dtype == np.uint8
    assert rgb.flags["C_CONTIGUOUS"]
    assert rgb[20, 0, 0] < 30 and rgb[20, -1, 0] > 225  # red ramp survives


def test_path_and_bytes_give_the_same_pixels(tmp_path):
    data = _encode(_pattern(), "PNG")
    path = tmp_path / "pattern.png"
    path.write_bytes(data)

    assert np.array_equal(load_rgb(path), load_rgb(data))
    assert np.array_equal(load_rgb(str(path)), load_rgb(bytearray(data)))


def test_transparent_areas_become_white():
    rgba = np.zeros((10, 10, 4), dtype=np.uint8)
    rgba[..., 0] = 200  # red, but fully transparent on the left half
    rgba[:, 5:, 3] = 255
    rgb = load_rgb(_encode(Image.fromarray(rgba), "PNG"))

    assert rgb[0, 0].tolist() == [255, 255, 255]
    assert rgb[0, 9].tolist() == [200, 0, 0]


def test_grayscale_becomes_three_equal_channels():
    gray = Image.fromarray(np.arange(100, dtype=np.uint8).reshape(10, 10))
    rgb = load_rgb(_encode(gray, "PNG"))

    assert rgb.shape == (10, 10, 3)
    assert rgb[9, 9].tolist() == [99, 99, 99]


def test_sixteen_bit_grayscale_is_scaled_not_clipped():
    deep = np.full((8, 8), 32768, dtype=np.uint16)  # mid-gray in 16 bits
    rgb = load_rgb(_encode(Image.fromarray(deep), "PNG"))

    assert 120 <= int(rgb[0, 0, 0]) <= 135


def test_cmyk_jpeg_converts_to_rgb_colours():
    red = Image.new("RGB", (16, 16), (220, 20, 20)).convert("CMYK")
    rgb = load_rgb(_encode(red, "JPEG", quality=95))

    r, g, b = (int(v) for v in rgb[8, 8])
    assert r > 180 and g < 70 and b < 70


def test_exif_orientation_is_applied():
    upright = _pattern(60, 40)
    stored = upright.rotate(90, expand=True)  # what a sideways camera writes
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    rgb = load_rgb(_encode(stored, "JPEG", quality=95, exif=exif.tobytes()))

    assert rgb.shape == (40, 60, 3)
    assert rgb[20, 0, 0] < 30 and rgb[20, -1, 0] > 225


def _png_with_damaged_data() -> bytes:
    noisy = Image.fromarray(np.random.default_rng(1).integers(0, 255, (50, 50, 3), np.uint8))
    data = bytearray(_encode(noisy, "PNG"))
    data[data.find(b"IDAT") + 20] ^= 0xFF  # the chunk's CRC no longer matches
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"this is not an image at all", "unknown_format"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "unknown_format"),
        (_png_with_damaged_data(), "corrupt"),
    ],
    ids=["empty", "text", "jpeg-header-only", "damaged-png"],
)
def test_bad_bytes_raise_unreadable(data, reason):
    with pytest.raises(ImageUnreadableError) as caught:
        load_rgb(data)
    assert caught.value.reason == reason


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file_is_unreadable(fmt):
    noisy = Image.fromarray(np.random.default_rng(1).integers(0, 255, (200, 200, 3), np.uint8))
    data = _encode(noisy, fmt)

    with pytest.raises(ImageUnreadableError) as caught:
        load_rgb(data[: len(data) // 2])
    assert caught.value.reason == "corrupt"


def test_truncated_file_stays_unreadable_after_face_recognition_loads():
    # face_recognition turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process.
    from PIL import ImageFile

    from devices.face.matcher import load_face_recognition

    load_face_recognition()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    data = _encode(_pattern(200, 200), "JPEG")
    with pytest.raises(ImageUnreadableError):
        load_rgb(data[: len(data) // 2])


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(ImageUnreadableError) as caught:
        load_rgb(tmp_path / "absent.jpg")
    assert caught.value.reason == "unreadable_file"


def test_oversized_image_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    with pytest.raises(ImageUnreadableError) as caught:
        load_rgb(_encode(_pattern(20, 20), "PNG"))
    assert caught.value.reason == "too_large"


def test_arrays_rgb_gray_and_rgba():
    rgb = np.zeros((4, 5, 3), dtype=np.uint8)
    rgb[..., 1] = 7
    assert load_rgb(rgb)[0, 0].tolist() == [0, 7, 0]
    assert load_rgb(np.full((4, 5), 9, dtype=np.uint8))[3, 4].tolist() == [9, 9, 9]
    rgba = np.zeros((4, 5, 4), dtype=np.uint8)  # fully transparent
    assert load_rgb(rgba)[0, 0].tolist() == [255, 255, 255]


@pytest.mark.parametrize(
    "array",
    [np.zeros((4, 4, 3), dtype=np.float32), np.zeros((0, 0, 3), dtype=np.uint8),
     np.zeros((4, 4, 2), dtype=np.uint8)],
)  # fmt: skip
def test_unusable_arrays_are_unreadable(array):
    with pytest.raises(ImageUnreadableError):
        load_rgb(array)


def test_non_image_input_is_a_type_error():
    with pytest.raises(TypeError):
        load_rgb(42)  # type: ignore[arg-type]


def test_downscaled_keeps_aspect_and_never_upscales():
    big = np.zeros((1000, 2000, 3), dtype=np.uint8)
    small, scale = downscaled(big, 640)
    assert small.shape == (320, 640, 3)
    assert scale == pytest.approx(0.32)

    tiny = np.zeros((100, 50, 3), dtype=np.uint8)
    same, scale = downscaled(tiny, 640)
    assert same is tiny and scale == 1.0


def _samples() -> list[bytes]:
    exif = Image.Exif()
    exif[0x0112] = 8
    return [
        _encode(_pattern(64, 48), "JPEG", quality=90, exif=exif.tobytes()),
        _encode(_pattern(64, 48).convert("RGBA"), "PNG"),
        _encode(_pattern(64, 48).convert("P"), "GIF"),
        _encode(_pattern(64, 48), "WEBP"),
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=st.sampled_from(_samples()),
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
    cut=st.integers(0, 10_000),
)
def test_damaged_images_decode_or_raise_unreadable_only(sample, edits, cut):
    data = bytearray(sample)
    for position, value in edits:
        data[position % len(data)] = value
    data = data[: max(1, len(data) - cut % len(data))]

    try:
        rgb = load_rgb(bytes(data))
    except ImageUnreadableError:
        return
    assert rgb.dtype == np.uint8 and rgb.ndim == 3 and rgb.shape[2] == 3
