#!/usr/bin/env python
"""HTTP throughput of POST /api/v1/check against GET /healthz on one gunicorn (2 workers), with wrk.

The machine is shared and noisy, so the figure that matters is the ratio of the two, measured in
one run on the same server: healthz and check phases alternate for a few rounds, so both see the
same neighbours, and the median of the rounds' ratios is reported. Also reports the workers' CPU
time per request in each phase (what the ratio is made of) and RSS per worker after the load.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import ROOT, gunicorn, migrate, server_env, worker_cpu_seconds, worker_rss_mb  # noqa: E402

DURATION = "5s"
ROUNDS = 3


def lua_bodies(n: int = 300) -> str:
    sys.path.insert(0, str(ROOT))
    import yaml

    texts = []
    from checker.analysis import layout

    for path in layout.training_files(ROOT / "content"):
        texts += [e["text"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]]
    step = max(1, len(texts) // n)
    bodies = [json.dumps({"text": t, "save": False}, ensure_ascii=False) for t in texts[::step][:n]]
    items = ",\n".join("[==[" + b + "]==]" for b in bodies)
    return (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"local bodies = {{\n{items}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i % #bodies + 1\n"
        "  return wrk.format(nil, nil, nil, bodies[i])\nend\n"
    )


def wrk(url: str, script: str | None = None, threads: int = 2, connections: int = 8) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{DURATION}", "--latency", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": rps,
        "errors": int(non2xx.group(1)) if non2xx else 0,
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else None,
    }


def measured(url: str, script: str | None = None) -> dict:
    """One wrk phase, with the workers' CPU milliseconds per request during it."""
    before = worker_cpu_seconds()
    result = wrk(url, script)
    requests = result["rps"] * float(DURATION.rstrip("s"))
    result["cpu_ms"] = (worker_cpu_seconds() - before) * 1000 / requests if requests else float("nan")
    return result


def run() -> dict:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `apt-get install wrk` (make bench does this)")
    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3", RATELIMIT_CHECKS="1000000/s")
        migrate(env)
        script = Path(tmp) / "check.lua"
        script.write_text(lua_bodies(), encoding="utf-8")
        with gunicorn(env, workers=2) as base:
            wrk(base + "/healthz")  # warm-up
            wrk(base + "/api/v1/check", str(script))
            rounds = [
                (measured(base + "/healthz"), measured(base + "/api/v1/check", str(script))) for _ in range(ROUNDS)
            ]
            rss = worker_rss_mb()
    median = statistics.median
    return {
        "healthz_rps": median(h["rps"] for h, _ in rounds),
        "check_rps": median(c["rps"] for _, c in rounds),
        "ratio": median(c["rps"] / h["rps"] for h, c in rounds),
        "ratios": [round(c["rps"] / h["rps"], 3) for h, c in rounds],
        "healthz_cpu_ms": median(h["cpu_ms"] for h, _ in rounds),
        "check_cpu_ms": median(c["cpu_ms"] for _, c in rounds),
        "check_errors": sum(c["errors"] for _, c in rounds),
        "check_p99_ms": max(c["p99_ms"] or 0 for _, c in rounds),
        "worker_rss_mb_max": max(rss) if rss else float("nan"),
        "workers": len(rss),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
