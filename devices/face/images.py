"""Decoding photos and camera frames into the RGB arrays dlib expects, in memory only.

Images arrive as encoded bytes (a camera frame or central's reference photo), as a path, or as
an array already in memory. Everything is decoded from a memory buffer (Pillow; complete JPEGs
with OpenCV, which is faster and gives the same pixels): nothing is written to disk and no pixel
data is logged. Odd but valid inputs are normalised (transparency,
grayscale, 16-bit, CMYK, EXIF orientation); anything that cannot be decoded completely raises
:class:`ImageUnreadableError`, which the matcher turns into a quality code.
"""

from __future__ import annotations

import io
import logging
import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

log = logging.getLogger(__name__)

# Larger inputs are refused before decoding: no counter camera or ID photo comes near this, and
# it keeps a hostile file from making the face worker allocate gigabytes.
MAX_PIXELS = 50_000_000

# JPEG's end-of-image marker: a file without it at the end is truncated (or has a trailer).
_JPEG_END = b"\xff\xd9"

# EXIF tag 0x0112: how the stored pixels must be turned for display (1: as stored).
_ORIENTATION = 0x0112

# Transparent areas are composited onto white, like an ID photo's background.
_BACKGROUND = (255, 255, 255)

ImageInput = bytes | bytearray | memoryview | str | os.PathLike | np.ndarray


class ImageUnreadableError(ValueError):
    """The input is not a complete image we can decode; ``reason`` is a short stable code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def load_rgb(image: ImageInput) -> np.ndarray:
    """Return ``image`` as a C-contiguous ``uint8`` array of shape (height, width, 3), RGB.

    Bytes are decoded in memory; a path is read into memory first; an array is taken as RGB
    (not OpenCV's BGR), grayscale (2-D) or RGBA. Raises :class:`ImageUnreadableError` for
    missing, empty, corrupt, truncated, oversized or unsupported input, and ``TypeError`` for
    something that is not an image input at all.
    """
    if isinstance(image, np.ndarray):
        return _from_array(image)
    if isinstance(image, bytes | bytearray | memoryview):
        return _decode(bytes(image))
    if isinstance(image, str | os.PathLike):
        try:
            data = Path(image).read_bytes()
        except OSError as exc:
            raise ImageUnreadableError("unreadable_file", type(exc).__name__) from exc
        return _decode(data)
    raise TypeError(f"expected image bytes, a path or a numpy array, not {type(image).__name__}")


def _decode(data: bytes) -> np.ndarray:
    if not data:
        raise ImageUnreadableError("empty")
    try:
        with warnings.catch_warnings():
            # A DecompressionBombWarning is an oversized image; we refuse those ourselves.
            # Pillow also warns about damaged EXIF blocks it skips; that is no news to anyone.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
            with Image.open(io.BytesIO(data)) as im:
                if im.width * im.height > MAX_PIXELS:
                    raise ImageUnreadableError("too_large", f"{im.width}x{im.height}")
                fast = _decode_jpeg(data, im)
                if fast is not None:
                    return fast
                # load() raises on a truncated file as long as ImageFile.LOAD_TRUNCATED_IMAGES
                # is off; matcher.load_face_recognition() undoes face_recognition turning it on.
                im.load()
                # exif_transpose copies the whole picture even when there is nothing to turn;
                # most pictures are upright, and the copy costs as much as a tenth of a match.
                if im.getexif().get(_ORIENTATION, 1) != 1:
                    im = ImageOps.exif_transpose(im)
                return _to_rgb(im)
    except ImageUnreadableError:
        raise
    except UnidentifiedImageError as exc:
        raise ImageUnreadableError("unknown_format") from exc
    except Image.DecompressionBombError as exc:
        raise ImageUnreadableError("too_large") from exc
    except Exception as exc:
        # Pillow reports broken data mostly as OSError, ValueError or SyntaxError, but a hostile
        # file can reach other errors in a plugin or the EXIF parser (struct.error, KeyError,
        # ...). Whatever it is, the input is not an image we can use.
        raise ImageUnreadableError("corrupt", type(exc).__name__) from exc


def _decode_jpeg(data: bytes, im: Image.Image) -> np.ndarray | None:
    """Decode a complete JPEG straight into an array with OpenCV; None to let Pillow do it.

    Pillow decodes into its own buffer and copies twice more on the way to numpy, which costs
    about as much as the decoding; OpenCV decodes into the array. It is used only where both
    give the same pixels: a JPEG (colour, grey or CMYK; OpenCV turns it by its EXIF orientation
    as exif_transpose would) whose data ends with the end-of-image marker. A truncated file
    lacks that marker and goes to Pillow, which refuses it; so does anything OpenCV fails on.
    """
    if im.format != "JPEG" or im.mode not in ("RGB", "L", "CMYK"):
        return None
    if not data[-64:].rstrip(b"\x00\r\n ").endswith(_JPEG_END):
        return None
    import cv2

    bgr = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if bgr is None or bgr.ndim != 3:
        return None
    width, height = im.size
    if im.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8):
        width, height = height, width
    if bgr.shape[:2] != (height, width):
        return None
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def _to_rgb(im: Image.Image) -> np.ndarray:
    mode = im.mode
    if mode == "RGB":
        return np.ascontiguousarray(np.asarray(im, dtype=np.uint8))
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        # Pillow's convert("RGB") clips these to 0..255, which turns a 16-bit photo white.
        gray = np.asarray(im, dtype=np.float64)
        peak = float(gray.max()) if gray.size else 0.0
        if peak > 255.0:
            gray = gray / (257.0 if peak <= 65535.0 else peak / 255.0)
        return _gray_to_rgb(np.clip(gray, 0.0, 255.0).astype(np.uint8))
    if mode == "P" and "transparency" in im.info:
        im, mode = im.convert("RGBA"), "RGBA"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, _BACKGROUND)
        background.paste(rgba, mask=rgba.getchannel("A"))
        return np.ascontiguousarray(np.asarray(background, dtype=np.uint8))
    # L, 1, P, CMYK (Pillow undoes Adobe's inverted CMYK JPEGs), YCbCr, LAB, HSV.
    return np.ascontiguousarray(np.asarray(im.convert("RGB"), dtype=np.uint8))


def _from_array(array: np.ndarray) -> np.ndarray:
    if array.dtype != np.uint8:
        raise ImageUnreadableError("bad_array", f"dtype {array.dtype}, expected uint8")
    if array.size == 0:
        raise ImageUnreadableError("empty")
    if array.ndim == 2:
        return _gray_to_rgb(array)
    if array.ndim == 3 and array.shape[2] == 3:
        return np.ascontiguousarray(array)
    if array.ndim == 3 and array.shape[2] == 4:
        return _to_rgb(Image.fromarray(array))
    raise ImageUnreadableError("bad_array", f"shape {array.shape}")


def _gray_to_rgb(gray: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.repeat(gray[:, :, np.newaxis], 3, axis=2))


def downscaled(rgb: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Return a copy no longer than ``max_side`` on its longest side and the scale applied.

    A smaller image is returned as is with scale 1.0 (never upscaled).
    """
    height, width = rgb.shape[:2]
    scale = max_side / max(height, width)
    if scale >= 1.0:
        return rgb, 1.0

    import cv2  # OpenCV's area resampling is the fastest good downscaler we ship.

    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), scale
