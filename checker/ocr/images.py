"""Which uploads are images we read: PNG, JPEG or WebP, at most 8 MB and 40 megapixels.

Used twice: in the web process before anything is sent to OCR (header only, cheap), and in the OCR
process, which decodes the pixels. Importable without Django, so the OCR process can use it::

    >>> open_image(b"GIF89a...", max_pixels=40_000_000)
    Traceback (most recent call last):
    ImageRefused: ('unsupported_image', '只能读取 PNG、JPEG 或 WebP 图片…')
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

FORMATS = ("PNG", "JPEG", "WEBP")
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000

# Pillow refuses images past twice this with DecompressionBombError and warns past it; ours is
# the limit people are told, and every Pillow call in the process checks against it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageRefused(Exception):
    """An upload no OCR will be run on. ``code`` is stable (API), ``message`` is for a person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message


def too_many_bytes(max_bytes: int = MAX_BYTES) -> ImageRefused:
    return ImageRefused(
        "image_too_large", f"图片太大了：最多 {max_bytes // (1024 * 1024)} MB。请截取有文字的那一屏再试。"
    )


def open_image(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open ``data`` lazily (header only) and refuse what we do not read; the caller may then decode it."""
    if not data:
        raise ImageRefused("empty_image", "上传的图片是空的，请重新选择截图。")
    if len(data) > max_bytes:
        raise too_many_bytes(max_bytes)
    try:
        with warnings.catch_warnings():
            # Past MAX_IMAGE_PIXELS Pillow only warns; here that is a refusal like any other.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except UnidentifiedImageError:
        raise ImageRefused(
            "unsupported_image", "只能读取 PNG、JPEG 或 WebP 图片（手机截图就是这几种）。这个文件不是其中之一。"
        ) from None
    except (OSError, ValueError, SyntaxError):
        raise _unreadable() from None
    width, height = image.size
    if width < 1 or height < 1:
        raise _unreadable()
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    return image


def check_image(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> tuple[str, int, int]:
    """The web process's check: format, size and structure, without decoding the pixels. Returns (format, w, h)."""
    image = open_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    fmt, (width, height) = image.format, image.size
    try:
        image.verify()  # PNG: every chunk's CRC; JPEG and WebP: the headers
    except Exception:  # noqa: BLE001 - Pillow's plugins raise many kinds for a damaged file
        raise _unreadable() from None
    return fmt, width, height


def decode(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """The OCR process's read: the pixels, upright (EXIF), on white where transparent, as RGB."""
    from PIL import ImageOps

    image = open_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
        if image.mode in ("RGBA", "LA", "P", "PA"):
            image = image.convert("RGBA")
            background = Image.new("RGBA", image.size, (255, 255, 255, 255))
            image = Image.alpha_composite(background, image)
        return image.convert("RGB")
    except Exception:  # noqa: BLE001 - truncated or damaged pixel data
        raise _unreadable() from None


def _too_many_pixels(max_pixels: int) -> ImageRefused:
    return ImageRefused(
        "image_too_large", f"图片的尺寸太大了：最多 {max_pixels // 1_000_000} 百万像素。请截取有文字的那一屏再试。"
    )


def _unreadable() -> ImageRefused:
    return ImageRefused("unreadable_image", "这张图片打不开（文件可能不完整或已损坏），请重新截图再试。")
