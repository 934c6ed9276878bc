"""Phone screenshots drawn with Pillow, for the OCR tests and `make bench`: a WeChat-like chat, an SMS, a poster.

Each has the screen around the message a real one has (status bar with clock, carrier, signal and
battery; the contact's name; time stamps; buttons), so a test can check that only the message is read.
Rendered with Debian's fonts-wqy-microhei (CJK).
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
WIDTH, HEIGHT = 720, 1560  # a common phone screenshot at 1x: 720 × 1560

GREY = (237, 237, 237)
GREEN = (149, 236, 105)
WHITE = (255, 255, 255)
INK = (25, 25, 25)
MUTED = (150, 150, 150)


def font(size: int) -> ImageFont.FreeTypeFont:
    if not FONT_PATH.exists():
        raise FileNotFoundError(f"{FONT_PATH} is missing: apt-get install fonts-wqy-microhei")
    return ImageFont.truetype(str(FONT_PATH), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=face) > width:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def _status_bar(
    draw: ImageDraw.ImageDraw, *, clock: str = "9:41", carrier: str = "中国移动", battery: str = "87%"
) -> None:
    small = font(24)
    draw.text((28, 14), clock, fill=INK, font=small)
    draw.text((120, 14), f"{carrier} 5G", fill=INK, font=small)
    # Signal bars and a battery outline, as shapes (a phone draws them, they are not text).
    for i in range(4):
        draw.rectangle((520 + i * 12, 38 - i * 6, 528 + i * 12, 40), fill=INK)
    draw.text((585, 14), battery, fill=INK, font=small)
    draw.rectangle((650, 18, 692, 38), outline=INK, width=2)
    draw.rectangle((653, 21, 680, 35), fill=INK)


def _png(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def chat(
    messages: list[tuple[str, str]], *, contact: str = "李姐", stamp: str = "昨天 下午3:25", fmt: str = "PNG"
) -> bytes:
    """A chat: ``messages`` are ``("them" | "me", text)``; the contact's name on top, a time stamp, the input bar."""
    image = Image.new("RGB", (WIDTH, HEIGHT), GREY)
    draw = ImageDraw.Draw(image)
    _status_bar(draw)
    draw.rectangle((0, 56, WIDTH, 140), fill=GREY)
    draw.text((24, 76), "<", fill=INK, font=font(36))
    title = font(32)
    draw.text(((WIDTH - draw.textlength(contact, font=title)) / 2, 80), contact, fill=INK, font=title)
    draw.text((660, 74), "···", fill=INK, font=font(32))
    draw.line((0, 140, WIDTH, 140), fill=(215, 215, 215), width=1)

    body = font(30)
    y = 180
    stamp_font = font(22)
    draw.text(((WIDTH - draw.textlength(stamp, font=stamp_font)) / 2, y), stamp, fill=MUTED, font=stamp_font)
    y += 60
    for who, text in messages:
        lines = _wrap(draw, text, body, 430)
        height = 40 * len(lines) + 28
        box_width = max(draw.textlength(line, font=body) for line in lines) + 36
        draw.rectangle(
            (24 if who == "them" else WIDTH - 104, y, 104 if who == "them" else WIDTH - 24, y + 80),
            fill=(120, 160, 200),
        )
        left = 124 if who == "them" else WIDTH - 124 - box_width
        draw.rounded_rectangle(
            (left, y, left + box_width, y + height), radius=10, fill=WHITE if who == "them" else GREEN
        )
        for i, line in enumerate(lines):
            draw.text((left + 18, y + 14 + i * 40), line, fill=INK, font=body)
        y += height + 40

    draw.rectangle((0, HEIGHT - 120, WIDTH, HEIGHT), fill=(246, 246, 246))
    draw.rounded_rectangle((90, HEIGHT - 100, 560, HEIGHT - 30), radius=8, fill=WHITE)
    button = font(28)
    draw.text((270, HEIGHT - 84), "按住 说话", fill=INK, font=button)
    draw.rounded_rectangle((590, HEIGHT - 96, 700, HEIGHT - 34), radius=8, fill=(7, 193, 96))
    draw.text((615, HEIGHT - 84), "发送", fill=WHITE, font=button)
    return _png(image, fmt)


def sms(text: str, *, sender: str = "106900000", stamp: str = "今天 10:15", fmt: str = "PNG") -> bytes:
    """An SMS thread with one message from a service number."""
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    _status_bar(draw, clock="10:16", carrier="中国联通", battery="54%")
    title = font(32)
    draw.text(((WIDTH - draw.textlength(sender, font=title)) / 2, 86), sender, fill=INK, font=title)
    small = font(22)
    draw.text(((WIDTH - draw.textlength("短信/彩信", font=small)) / 2, 190), "短信/彩信", fill=MUTED, font=small)
    draw.text(((WIDTH - draw.textlength(stamp, font=small)) / 2, 226), stamp, fill=MUTED, font=small)
    body = font(30)
    lines = _wrap(draw, text, body, 520)
    draw.rounded_rectangle((30, 280, 600, 280 + 40 * len(lines) + 30), radius=18, fill=(233, 233, 235))
    for i, line in enumerate(lines):
        draw.text((52, 296 + i * 40), line, fill=INK, font=body)
    draw.rounded_rectangle((30, HEIGHT - 100, 600, HEIGHT - 36), radius=30, outline=MUTED, width=2)
    draw.text((60, HEIGHT - 86), "短信", fill=MUTED, font=font(28))
    draw.text((625, HEIGHT - 86), "发送", fill=INK, font=font(28))
    return _png(image, fmt)


def poster(headline: str, lines: list[str], qr_data: str, *, fmt: str = "PNG") -> bytes:
    """A street or group-chat poster: a big headline, a few lines and a QR code (drawn by segno)."""
    image = Image.new("RGB", (WIDTH, 1100), (255, 240, 220))
    draw = ImageDraw.Draw(image)
    big = font(64)
    draw.text(((WIDTH - draw.textlength(headline, font=big)) / 2, 50), headline, fill=(200, 30, 30), font=big)
    body = font(34)
    for i, line in enumerate(lines):
        draw.text(((WIDTH - draw.textlength(line, font=body)) / 2, 180 + i * 56), line, fill=INK, font=body)
    buffer = io.BytesIO()
    segno.make(qr_data, error="m").save(buffer, kind="png", scale=8, border=4)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    image.paste(code, ((WIDTH - code.width) // 2, 200 + len(lines) * 56))
    return _png(image, fmt)


def blank(width: int = 400, height: int = 300, fmt: str = "PNG") -> bytes:
    return _png(Image.new("RGB", (width, height), WHITE), fmt)
