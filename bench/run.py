#!/usr/bin/env python
"""``make bench``: load the public pages with wrk against a bare Django view.

1. a database of its own (SQLite in bench/results/, kept between runs, or
   BENCH_DATABASE_URL), migrated and filled by ``seed_demo``;
2. gunicorn with 2 workers on 127.0.0.1:BENCH_PORT (8341), bench settings, Redis as
   the cache when REDIS_URL is set or a Redis answers on 127.0.0.1:6379 (keys under a
   prefix of their own, nothing is flushed), local memory otherwise;
3. wrk on the bare view, the home page, a news article, the menus page and
   /api/v2/pages/, in BENCH_ROUNDS interleaved rounds so that a burst of load from
   something else on the machine hits every target alike; each figure is the median of
   its rounds; then the home page with the public cache bypassed, for comparison;
4. a table of req/s, p50, p99 and the ratio to the bare view, printed and written to
   bench/README.md;
5. ``bench/bookings.py`` on the same database: a school year's weekly pattern booked
   in one request, against booking one day.

Environment: BENCH_PORT (8341), BENCH_ROUNDS (3), BENCH_DURATION (seconds per target
and round, 3), BENCH_CONNECTIONS (16), BENCH_DATABASE_URL, REDIS_URL.
"""

import datetime
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
README = ROOT / "bench" / "README.md"
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8341"))
DURATION = int(os.environ.get("BENCH_DURATION", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
BASE = f"http://127.0.0.1:{PORT}"
RATES = ("rate", "p50", "p99", "hits")
TABLE_START = "<!-- bench:table -->"
TABLE_END = "<!-- /bench:table -->"

TARGETS = [
    ("bare Django view (baseline)", "/bench/bare/", "baseline"),
    ("home page (public cache)", "/", "cached"),
    ("news article (public cache)", "/actualites/cantine-produits-locaux/", "cached"),
    ("menus page (public cache)", "/menus/", "cached"),
    ("/api/v2/pages/ (public cache)", "/api/v2/pages/", "cached"),
]
UNCACHED = ("home page, cache bypassed", "/?bench=uncached", "uncached")


def step(message):
    print(f"== {message}", flush=True)


def redis_url():
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/0"
    except OSError:
        pass
    return ""


def environment():
    RESULTS.mkdir(parents=True, exist_ok=True)
    database = RESULTS / "bench.sqlite3"
    # Kept between runs: migrate and seed_demo (idempotent) bring it up to date quickly.
    media = RESULTS / "media"
    static = RESULTS / "static"  # empty: WhiteNoise serves from the finders
    static.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_SQLITE_PATH": str(database),
            "MEDIA_ROOT": str(media),
            "PRIVATE_MEDIA_ROOT": str(RESULTS / "private"),
            "STATIC_ROOT": str(static),
            "REDIS_URL": redis_url(),
            "CACHE_KEY_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
            "TASKS_BACKEND": "immediate",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def run(args, env):
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def get(path, headers=None):
    request = urllib.request.Request(BASE + path, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers)


def wait_for_server(process):
    for _ in range(120):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        try:
            if get("/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer on /healthz")


def parse_wrk(output):
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    hits, total = (int(n) for n in re.search(r"cache hits: (\d+)/(\d+)", output).groups())
    return {
        "rate": rate,
        "p50": latency(50),
        "p99": latency(99),
        "hits": 100 * hits / total if total else 0,
        "errors": errors,
    }


def load(path):
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}s",
            "--latency",
            "--script",
            str(ROOT / "bench" / "count_cache_hits.lua"),
            BASE + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = parse_wrk(output)
    if result["errors"]:
        raise SystemExit(f"{path}: {result['errors'].group(0)}\n{output}")
    return result


def median(values):
    return statistics.median(values)


def check_targets():
    """Every target answers 200, and the cached ones really come from the cache."""
    for _label, path, kind in [*TARGETS, UNCACHED]:
        status, _headers = get(path)
        status, headers = get(path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        cached = headers.get("X-Public-Cache") == "hit"
        if (kind == "cached") != cached:
            raise SystemExit(
                f"{path}: expected {kind}, X-Public-Cache={headers.get('X-Public-Cache')}"
            )


def table(results, env):
    baseline = next(r["rate"] for (_l, _p, kind), r in results if kind == "baseline")
    lines = [
        f"Run on {datetime.date.today():%Y-%m-%d}: gunicorn 2 workers, "
        f"{'Redis' if env['REDIS_URL'] else 'local-memory'} cache, "
        f"{'PostgreSQL' if env.get('DATABASE_URL') else 'SQLite'}, "
        f"wrk 1 thread, {CONNECTIONS} connections, medians of {ROUNDS} interleaved "
        f"rounds of {DURATION} s, {os.cpu_count()} CPU cores shared with wrk.",
        "",
        "| target | req/s | p50 (ms) | p99 (ms) | ratio to bare view | from the cache |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (label, path, _kind), result in results:
        lines.append(
            f"| {label} `{path}` | {result['rate']:.0f} | {result['p50']:.2f} | "
            f"{result['p99']:.2f} | {result['rate'] / baseline:.2f}× | {result['hits']:.0f} % |"
        )
    home = next(r for (_l, p, k), r in results if p == "/" and k == "cached")
    verdict = "met" if home["rate"] >= 0.8 * baseline else "NOT met"
    lines += [
        "",
        f"Target « cached home ≥ 0.8× bare view »: {verdict} ({home['rate'] / baseline:.2f}×).",
    ]
    return "\n".join(lines)


def write_readme(text):
    content = README.read_text() if README.exists() else ""
    block = f"{TABLE_START}\n{text}\n{TABLE_END}"
    if TABLE_START in content:
        content = re.sub(
            rf"{re.escape(TABLE_START)}.*?{re.escape(TABLE_END)}", block, content, flags=re.S
        )
    else:
        content += f"\n## Latest run\n\n{block}\n"
    README.write_text(content)


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    started = time.monotonic()
    env = environment()
    step("database: migrate and seed the demo town")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "seed_demo", "-v0"], env)
    step(f"gunicorn: 2 workers on {BASE} ({'Redis' if env['REDIS_URL'] else 'local memory'})")
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "cms.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for_server(server)
        check_targets()
        runs = {target: [] for target in TARGETS}
        for round_number in range(1, ROUNDS + 1):
            step(f"round {round_number}/{ROUNDS}: " + ", ".join(path for _l, path, _k in TARGETS))
            for target in TARGETS:
                runs[target].append(load(target[1]))
        results = [
            (target, {key: median([run[key] for run in measured]) for key in RATES})
            for target, measured in runs.items()
        ]
        step(f"wrk {UNCACHED[1]}")
        results.append((UNCACHED, load(UNCACHED[1])))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    text = table(results, env)
    print()
    print(text)
    write_readme(text)
    step("bookings: a school year's weekly pattern in one request")
    subprocess.run([PYTHON, "bench/bookings.py"], cwd=ROOT, env=env, check=True)
    print(f"\nbench/README.md updated ({time.monotonic() - started:.0f} s).")


if __name__ == "__main__":
    main()
