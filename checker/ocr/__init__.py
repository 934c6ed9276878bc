"""Screenshots as an input: a chat, an SMS or a poster read by OCR, its QR codes decoded.

The web process only checks the upload (:mod:`checker.ocr.images`) and asks the OCR service
(:mod:`checker.ocr.pool`); the models live in the service's processes (:mod:`checker.ocr.service`,
:mod:`checker.ocr.reader`), never in a web worker. What comes back is cleaned of the screen around
the message (:mod:`checker.ocr.cleanup`) and goes through the one pipeline like typed text
(``run_check(text, save=..., image=...)`` in checker/pipeline.py). The image itself is never written
anywhere: it travels as bytes over a local socket and is dropped when read.
"""
