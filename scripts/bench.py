#!/usr/bin/env python
"""Speed benchmark (`make bench`). Prints a table; figures go in the README's performance section.

1. In-process cost of one check, median and p99 over at least 3,000 texts.
2. Model load time and memory, each in a fresh process.
3. With --http: throughput of POST /api/v1/check against GET /healthz on one gunicorn (2 workers),
   as a ratio, and RSS per worker after the load (see scripts/httpbench.py).
4. Screenshots: seconds per phone screenshot through the OCR service (one OCR process, as served),
   median and p95, and that process's peak RSS (--no-ocr skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "checker.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

LOAD_PROBE = """
import os, resource, time, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "checker.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
import django
django.setup()
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
before = rss()
t = time.perf_counter()
from checker.analysis.engine import get_engine
engine = get_engine()
engine.assess("测试")
elapsed = time.perf_counter() - t
print(json.dumps({"load_s": elapsed, "rss_before_mb": before, "rss_after_mb": rss()}))
"""


def bench_texts(minimum: int = 3000) -> list[str]:
    from checker.analysis.model import load_training_examples

    base = [e.text for e in load_training_examples()]
    texts = list(base)
    # Longer texts too: people paste whole chat messages.
    k = 0
    while len(texts) < minimum:
        texts.append(base[k % len(base)] + "。" + base[(k * 7 + 3) % len(base)])
        k += 1
    return texts


def in_process(texts: list[str], rounds: int) -> dict:
    import django

    django.setup()
    from checker.analysis.engine import get_engine

    engine = get_engine()
    for t in texts[:200]:
        engine.assess(t)  # warm caches
    times = []
    for _ in range(rounds):
        for t in texts:
            start = time.perf_counter_ns()
            engine.assess(t)
            times.append(time.perf_counter_ns() - start)
    times.sort()
    return {
        "checks": len(times),
        "median_ms": statistics.median(times) / 1e6,
        "p99_ms": times[int(len(times) * 0.99)] / 1e6,
        "mean_chars": sum(map(len, texts)) / len(texts),
    }


def load_probe(repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", LOAD_PROBE], capture_output=True, text=True, cwd=ROOT, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "load_s_median": statistics.median(r["load_s"] for r in runs),
        "model_mb": statistics.median(r["rss_after_mb"] - r["rss_before_mb"] for r in runs),
        "process_mb": statistics.median(r["rss_after_mb"] for r in runs),
    }


def phone_screenshots(count: int) -> list[bytes]:
    """Chats, SMS and posters of the kinds people send, drawn by tests/screenshots.py."""
    from tests import screenshots

    texts = [t for t in bench_texts(count * 3) if 20 <= len(t) <= 120]
    images = []
    for k in range(count):
        a, b = texts[(k * 5) % len(texts)], texts[(k * 11 + 3) % len(texts)]
        kind = k % 3
        if kind == 0:
            images.append(screenshots.chat([("them", a), ("me", "真的吗？"), ("them", b)]))
        elif kind == 1:
            images.append(screenshots.sms(a))
        else:
            images.append(
                screenshots.poster("扫码领好礼", [a[:14], a[14:28] or "名额有限"], f"https://example.com/p?k={k}")
            )
    return images


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ocr_bench(count: int) -> dict:
    import django

    django.setup()
    from checker.ocr import pool

    service = pool.start(workers=1)
    images = phone_screenshots(count)
    pool.read(images[0], wait=60)  # warm
    times = []
    for image in images:
        start = time.perf_counter()
        pool.read(image, wait=60)
        times.append(time.perf_counter() - start)
    supervisor = service.process.pid
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    peak = max((_peak_rss_mb(int(pid)) for pid in children), default=0.0)
    pool.stop()
    times.sort()
    return {
        "screenshots": len(times),
        "median_s": statistics.median(times),
        "p95_s": times[min(len(times) - 1, int(len(times) * 0.95))],
        "ocr_peak_rss_mb": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="passes over the texts")
    parser.add_argument("--load-repeat", type=int, default=3)
    parser.add_argument("--http", action="store_true", help="also run the HTTP benchmark")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--screenshots", type=int, default=30, help="phone screenshots for the OCR section")
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR section")
    args = parser.parse_args()

    texts = bench_texts()
    figures = {"in_process": in_process(texts, args.rounds), "load": load_probe(args.load_repeat)}
    if not args.no_ocr:
        figures["ocr"] = ocr_bench(args.screenshots)
    if args.http:
        from httpbench import run as http_run  # scripts/ is on sys.path when run as a script

        figures["http"] = http_run()
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    ip, ld = figures["in_process"], figures["load"]
    rows = [
        ("checks measured", f"{ip['checks']} (mean {ip['mean_chars']:.0f} chars)", ""),
        ("check, median", f"{ip['median_ms']:.3f} ms", "≤ 0.3 ms"),
        ("check, p99", f"{ip['p99_ms']:.3f} ms", ""),
        ("model load (fresh process)", f"{ld['load_s_median']:.2f} s", "≤ 0.5 s"),
        ("model memory (RSS added by load)", f"{ld['model_mb']:.0f} MB", "≤ 150 MB"),
        ("process RSS after load", f"{ld['process_mb']:.0f} MB", ""),
    ]
    if "ocr" in figures:
        o = figures["ocr"]
        rows += [
            ("screenshot OCR, median", f"{o['median_s']:.2f} s ({o['screenshots']} phone screenshots)", "≤ 0.6 s"),
            ("screenshot OCR, p95", f"{o['p95_s']:.2f} s", ""),
            ("OCR process peak RSS", f"{o['ocr_peak_rss_mb']:.0f} MB", "≤ 700 MB"),
        ]
    if "http" in figures:
        h = figures["http"]
        rows += [
            ("GET /healthz", f"{h['healthz_rps']:.0f} req/s", ""),
            ("POST /api/v1/check", f"{h['check_rps']:.0f} req/s", ""),
            (
                "check / healthz throughput",
                f"{h['ratio']:.0%} (rounds {', '.join(f'{r:.0%}' for r in h['ratios'])})",
                "≥ 60%",
            ),
            ("worker CPU per request", f"healthz {h['healthz_cpu_ms']:.2f} ms, check {h['check_cpu_ms']:.2f} ms", ""),
            ("RSS per worker after load", f"{h['worker_rss_mb_max']:.0f} MB", "≤ 150 MB"),
        ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':<28}target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<28}{target}")


if __name__ == "__main__":
    main()
