"""Inside an OCR process: the models, loaded once, and one read of an image.

RapidOCR's PP-OCR ONNX models ship inside its wheel (``rapidocr/models/``). Every model path is
given explicitly, so RapidOCR never reaches its download code: :func:`bundled_models` refuses to
start when a file is missing rather than let the library fetch it at run time. QR codes are
decoded by zxing-cpp from the same pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.ocr.images import MAX_BYTES, MAX_PIXELS, decode

DETECTOR = "PP-OCRv6_det_small.onnx"
RECOGNISER = "PP-OCRv6_rec_small.onnx"
CLASSIFIER = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
# Detection runs on the image scaled so its longer side is at most this: a phone screenshot's text
# (24–40 px) stays well above what the detector needs. Recognition reads the crops from the full
# image. Measured on the 30 screenshots of `make bench` (/tmp experiment, session 5): 960 and 800
# both recover 99.4 % of the characters drawn; 800 is about 0.05 s faster per screenshot.
DETECT_SIDE = 800
# One line per recognition batch: a batch pads every crop to its widest, and a chat's lines differ
# a lot in width, so batching lines costs more than it saves on 2 cores (0.66 → 0.59 s median).
REC_BATCH = 1


class ModelsMissing(RuntimeError):
    pass


def bundled_models() -> dict[str, Path]:
    import rapidocr

    root = Path(rapidocr.__file__).resolve().parent / "models"
    paths = {"det": root / DETECTOR, "rec": root / RECOGNISER, "cls": root / CLASSIFIER}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ModelsMissing(f"RapidOCR's bundled models are missing ({', '.join(missing)}); reinstall rapidocr")
    return paths


@dataclass(frozen=True)
class Reader:
    engine: Any

    @classmethod
    def load(cls) -> Reader:
        from rapidocr import RapidOCR

        paths = bundled_models()
        engine = RapidOCR(
            params={
                "Global.log_level": "error",
                # Screenshots are upright: the angle classifier would only cost time.
                "Global.use_cls": False,
                "Det.model_path": str(paths["det"]),
                "Rec.model_path": str(paths["rec"]),
                "Cls.model_path": str(paths["cls"]),
                "Det.limit_type": "max",
                "Det.limit_side_len": DETECT_SIDE,
                "Rec.rec_batch_num": REC_BATCH,
            }
        )
        reader = cls(engine)
        reader.warm_up()
        return reader

    def warm_up(self) -> None:
        """RapidOCR opens its ONNX sessions on first use: do it now, not on the first visitor's image."""
        from PIL import Image, ImageDraw, ImageFont

        image = Image.new("RGB", (320, 64), "white")
        ImageDraw.Draw(image).text((10, 12), "warm up 123", fill="black", font=ImageFont.load_default(size=32))
        self._ocr(image)

    def _ocr(self, image: Any) -> list[dict[str, Any]]:
        import numpy as np

        bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
        result = self.engine(bgr)
        lines = []
        if result.boxes is None or result.txts is None:  # nothing that looks like text
            return []
        scores = result.scores if result.scores is not None else [1.0] * len(result.txts)
        for box, text, score in zip(result.boxes, result.txts, scores, strict=False):
            xs = [float(p[0]) for p in box]
            ys = [float(p[1]) for p in box]
            lines.append({"text": str(text), "box": [min(xs), min(ys), max(xs), max(ys)], "score": float(score)})
        return lines

    def read(self, data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> dict[str, Any]:
        """``{"width", "height", "lines": [{"text", "box": [x0, y0, x1, y1], "score"}], "qr": [...]}``."""
        import zxingcpp

        image = decode(data, max_bytes=max_bytes, max_pixels=max_pixels)
        lines = self._ocr(image)
        codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        qr = list(dict.fromkeys(code.text for code in codes if code.valid and code.text))
        return {"width": image.width, "height": image.height, "lines": lines, "qr": qr}
