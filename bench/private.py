#!/usr/bin/env python
"""``make bench-private``: the private area of a 10,000-family town under load.

1. the town's database (PostgreSQL: BENCH_TOWN_DATABASE_URL, by default
   ``portail_bench_town`` on the local server), migrated and filled once by
   ``seed_town --families BENCH_FAMILIES --seed BENCH_SEED`` (kept between runs), and a
   one-family town beside it (``…_one``) for the query counts at 1 family;
2. SQL queries per page for the town's family 1 and for staff, at 1 and at
   BENCH_FAMILIES families (``bench/private_django.py queries``);
3. a billing draft of the next month for the whole town, timed (the target is a minute);
4. BENCH_SESSIONS family sessions and one staff session written in the session store;
5. gunicorn as in production (``cms.wsgi``, BENCH_WORKERS workers, Redis cache), and
   wrk on each page in BENCH_ROUNDS interleaved rounds, each request taking the next
   session and its own URL (``rotate_sessions.lua``); the bare view with the same
   sessions is the baseline of the run (it reads the session and the user, as every
   private page does);
6. a table of req/s, p50, p99, the ratio to the bare view and the queries at 1 and N
   families, printed and written to bench/README.md.

Environment: BENCH_TOWN_DATABASE_URL, BENCH_ONE_DATABASE_URL, BENCH_FAMILIES (10000),
BENCH_SEED (1), BENCH_SESSIONS (500), BENCH_WORKERS (2), BENCH_PORT (8342), BENCH_ROUNDS (3),
BENCH_DURATION (3), BENCH_CONNECTIONS (16), BENCH_WARMUP (2, seconds per target), REDIS_URL.
"""

import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import redis_url  # noqa: E402

RESULTS = ROOT / "bench" / "results"
README = ROOT / "bench" / "README.md"
PYTHON = sys.executable
DATABASE = os.environ.get(
    "BENCH_TOWN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail_bench_town"
)
ONE_DATABASE = os.environ.get("BENCH_ONE_DATABASE_URL", DATABASE + "_one")
FAMILIES = int(os.environ.get("BENCH_FAMILIES", "10000"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
SESSIONS = int(os.environ.get("BENCH_SESSIONS", "500"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8342"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
DURATION = int(os.environ.get("BENCH_DURATION", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
LOAD_AT_START = 0.0  # the 1-minute load average before the run (other programs)
BASE = f"http://127.0.0.1:{PORT}"
TABLE_START, TABLE_END = "<!-- bench:private -->", "<!-- /bench:private -->"
# Pages with a latency goal (p95 ≤ 150 ms, ≥ 0.25× the bare view).
GOALS = ("family home", "Mes enfants", "a child's agenda", "Relevé de compte")


def step(message):
    print(f"== {message}", flush=True)


def environment(database):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        {
            # Persistent connections, as in production (docker-compose.yml): without
            # them every request opens a PostgreSQL connection (a backend forked).
            "DATABASE_URL": database + ("&" if "?" in database else "?") + "conn_max_age=60",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "MEDIA_ROOT": str(RESULTS / "media"),
            "PRIVATE_MEDIA_ROOT": str(RESULTS / "private"),
            "STATIC_ROOT": str(RESULTS / "static"),
            "REDIS_URL": redis_url(),
            "CACHE_KEY_PREFIX": f"bench-private-{uuid.uuid4().hex[:8]}",
            "TASKS_BACKEND": "immediate",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def database_exists(url):
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    found = subprocess.run(
        ["psql", server, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not found:
        subprocess.run(["psql", server, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def town_families(env):
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from espace_prive.families.models import Family;"
         "print(Family.objects.filter(reference__startswith='VIL-').count())"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return int(out.strip().splitlines()[-1])


def prepare(database, families):
    env = environment(database)
    database_exists(database)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    present = town_families(env)
    if present == 0:
        step(f"seed_town --families {families} --seed {SEED} ({database.rsplit('/', 1)[1]})")
        started = time.monotonic()
        subprocess.run(
            [PYTHON, "manage.py", "seed_town", "--families", str(families), "--seed", str(SEED)],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"   town seeded in {time.monotonic() - started:.0f} s")
    elif present != families:
        raise SystemExit(f"{database} holds a town of {present} families, not {families}")
    return env


def inside(env, *args):
    out = subprocess.run(
        [PYTHON, "bench/private_django.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def wait_for_server(process, base=BASE):
    import urllib.request

    deadline = time.monotonic() + 600  # a loaded machine starts Django slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer on /healthz")


def drain(base=BASE):
    """Wait until the workers are idle: when wrk stops, the requests still queued (16 of
    a slow staff page) are served all the same, and the next target would wait behind
    them. A /healthz answered at once means nothing is queued before it."""
    import urllib.request

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(base + "/healthz", timeout=120):
            pass
        if time.monotonic() - started < 0.05:
            return


def latency(output, percent):
    match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    return float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]


def load(target_file, *, duration=None, connections=None):
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections or CONNECTIONS}", f"-d{duration or DURATION}s",
         "--latency", "--timeout", "10s",
         "--script", str(ROOT / "bench" / "rotate_sessions.lua"), BASE, "--", target_file],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    bad = int(re.search(r"not 200: (\d+)", output).group(1))
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency(output, 50),
        "p90": latency(output, 90),
        "p95": int(re.search(r"^p95: (\d+)", output, re.MULTILINE).group(1)) / 1000,
        "p99": latency(output, 99),
        "errors": bad,
    }


def ratio(rate, baseline):
    return f"{rate / baseline:.2f}×" if baseline else "—"


def table(results, queries_one, queries_many, draft, notes):
    baseline = results["bare"]["rate"] or None
    lines = [
        f"Run on {datetime.date.today():%Y-%m-%d}: town of {FAMILIES} families "
        f"(`seed_town --seed {SEED}`), PostgreSQL, Redis cache, gunicorn {WORKERS} workers, "
        f"wrk 1 thread, {CONNECTIONS} connections, {SESSIONS} family sessions in rotation, "
        f"medians of {ROUNDS} interleaved rounds of {DURATION} s after a warm-up, "
        f"{os.cpu_count()} CPU cores shared with wrk and PostgreSQL (load average "
        f"{LOAD_AT_START:.1f} before the run, from other programs).",
        "",
        f"| page | req/s | p50 (ms) | p95 (ms) | p99 (ms) | ratio to bare view | "
        f"queries (1 family) | queries ({FAMILIES} families) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, result in results.items():
        name = "bare Django view, signed in (baseline)" if label == "bare" else label
        lines.append(
            f"| {name} | {result['rate']:.0f} | {result['p50']:.1f} | {result['p95']:.1f} | "
            f"{result['p99']:.1f} | {ratio(result['rate'], baseline)} | "
            f"{queries_one.get(label, '—')} | {queries_many.get(label, '—')} |"
        )
    lines.append("")
    for label in GOALS:
        if label not in results:
            continue
        result = results[label]
        fast = result["p95"] <= 150
        share = bool(baseline) and result["rate"] >= 0.25 * baseline
        verdict = "met" if fast and share else "NOT met"
        lines.append(
            f"- {label}: p95 {result['p95']:.0f} ms (goal ≤ 150 ms: "
            f"{'met' if fast else 'not met'}), {ratio(result['rate'], baseline)} the bare "
            f"view (goal ≥ 0.25×: {'met' if share else 'not met'}): {verdict}."
        )
    if draft.get("seconds") is not None:
        verdict = "met" if draft["seconds"] <= 60 else "NOT met"
        lines.append(
            f"- Billing draft of {draft['month']} for the town ({draft['invoices']} invoices): "
            f"{draft['seconds']} s (goal ≤ 60 s: {verdict})."
        )
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines)


def write_readme(text):
    content = README.read_text() if README.exists() else ""
    block = f"{TABLE_START}\n{text}\n{TABLE_END}"
    if TABLE_START in content:
        content = re.sub(
            rf"{re.escape(TABLE_START)}.*?{re.escape(TABLE_END)}", block, content, flags=re.S
        )
    else:
        content += f"\n## Private area of a {FAMILIES}-family town\n\n{block}\n"
    README.write_text(content)


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    global LOAD_AT_START
    LOAD_AT_START = os.getloadavg()[0]
    started = time.monotonic()
    (RESULTS / "static").mkdir(parents=True, exist_ok=True)
    step("databases: migrate, seed the town once (and a one-family town)")
    env_one = prepare(ONE_DATABASE, 1)
    env = prepare(DATABASE, FAMILIES)
    draft = {}
    if not os.environ.get("BENCH_SKIP_DRAFT"):
        step("billing: a draft of the next month for the whole town")
        draft = inside(env, "draft")
    step("SQL queries per page at 1 and at N families")
    queries_one = inside(env_one, "queries")
    queries_many = inside(env, "queries")
    step(f"sessions: {SESSIONS} families and one member of staff")
    targets = inside(env, "sessions", str(SESSIONS), str(RESULTS / "private-targets"))
    notes = []
    if "Relevé de compte" not in targets:
        notes.append(
            "Relevé de compte: no such page on this branch yet (the billing family pages "
            "add it): not measured."
        )
        print("   note: " + notes[-1])
    step(f"gunicorn: {WORKERS} workers on {BASE}")
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "cms.wsgi:application",
         "--workers", str(WORKERS), "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_server(server)
        # Each worker imports the views, compiles the templates and fills its caches on
        # its first requests: without this warm-up the first target measured (the bare
        # view, the baseline) paid for it.
        step(f"warm-up: each target for {WARMUP} s, not measured")
        for target in targets.values():
            load(target["file"], duration=WARMUP, connections=WORKERS * 2)
            drain()
        runs = {label: [] for label in targets}
        for round_number in range(1, ROUNDS + 1):
            step(f"round {round_number}/{ROUNDS}: {len(targets)} targets")
            for label, target in targets.items():
                result = load(target["file"])
                drain()
                if result["errors"]:
                    raise SystemExit(f"{label} ({target['path']}): {result['errors']} not 200")
                runs[label].append(result)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    results = {
        label: {
            key: statistics.median(run[key] for run in measured)
            for key in ("rate", "p50", "p90", "p95", "p99")
        }
        for label, measured in runs.items()
    }
    raw = {"results": results, "queries_one": queries_one, "queries_many": queries_many}
    (RESULTS / "private-results.json").write_text(json.dumps({**raw, "draft": draft}))
    text = table(results, queries_one, queries_many, draft, notes)
    print()
    print(text)
    write_readme(text)
    print(f"\nbench/README.md updated ({time.monotonic() - started:.0f} s).")


if __name__ == "__main__":
    main()
