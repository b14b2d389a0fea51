#!/usr/bin/env python
"""``make bench-rush``: the rentrée rush, end to end.

1. a town of RUSH_FAMILIES families just before the rentrée (``seed_town
   --before-rentree``: no enrolment nor booking of the year; capacities for nine pupils
   in ten of each school), in its own PostgreSQL database (BENCH_RUSH_DATABASE_URL,
   ``portail_bench_rush`` by default), seeded once and reset before each run;
2. production's processes: gunicorn (BENCH_WORKERS workers), the django-tasks-db
   worker (``manage.py db_worker``: the notices of the enrolments), Redis as the cache,
   and a staff step that accepts enrolments as they arrive (``rush_django.py staff``);
3. locust (``rush_locustfile.py``) plays the families: RUSH_FAMILIES users started
   RUSH_SPAWN_RATE a second, each enrolling its school children in the canteen,
   waiting for the acceptance, previewing then booking the weekly pattern of the rest
   of the school year, with RUSH_THINK_SECONDS of think time (± 50 %) between steps;
4. reports the time to absorb the burst (first request to last booking, and until the
   worker's queue is empty), p50/p95/p99 of the booking submission, the errors, then
   checks the database: no unit over capacity on any day, every booking an answer
   announced present with that state, every refused day explained;
5. writes the table in bench/README.md.
"""

import csv
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.private import database_exists, environment, town_families, wait_for_server  # noqa: E402

RESULTS = ROOT / "bench" / "results"
README = ROOT / "bench" / "README.md"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DATABASE = os.environ.get(
    "BENCH_RUSH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail_bench_rush"
)
FAMILIES = int(os.environ.get("RUSH_FAMILIES", "2000"))
SPAWN = float(os.environ.get("RUSH_SPAWN_RATE", "20"))
THINK = float(os.environ.get("RUSH_THINK_SECONDS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8343"))
BASE = f"http://127.0.0.1:{PORT}"
TABLE_START, TABLE_END = "<!-- bench:rush -->", "<!-- /bench:rush -->"


def step(message):
    print(f"== {message}", flush=True)


def inside(env, *args):
    out = subprocess.run(
        [PYTHON, "bench/rush_django.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def start(args, env, log):
    return subprocess.Popen(
        args, cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def stats(prefix):
    rows = {}
    with open(f"{prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = row
    return rows


def school_year_bounds():
    today = datetime.date.today()
    start = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    return today, datetime.date(start.year + 1, 7, 6)


def main():
    load_at_start = os.getloadavg()[0]  # other programs, before the run
    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "static").mkdir(exist_ok=True)
    env = environment(DATABASE)
    env.update({"TASKS_BACKEND": "database", "CACHE_KEY_PREFIX": f"rush-{uuid.uuid4().hex[:8]}"})
    step("database: migrate, seed the town before the rentrée once, reset the last rush")
    database_exists(DATABASE)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    present = town_families(env)
    if present == 0:
        subprocess.run(
            [PYTHON, "manage.py", "seed_town", "--families", str(FAMILIES), "--before-rentree"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    elif present < FAMILIES:
        raise SystemExit(f"{DATABASE} holds {present} families, fewer than {FAMILIES}")
    print("   reset:", inside(env, "reset"))
    families_file = RESULTS / "rush-families.jsonl"
    results_file = RESULTS / "rush-results.jsonl"
    results_file.unlink(missing_ok=True)
    prepared = inside(env, "prepare", str(FAMILIES), str(families_file))["families"]
    first_day, last_day = school_year_bounds()
    stop_file = RESULTS / "rush-staff.stop"
    stop_file.unlink(missing_ok=True)
    log = open(RESULTS / "rush-processes.log", "w")  # noqa: SIM115 (the processes' log)
    step(f"gunicorn ({WORKERS} workers), db_worker, staff step; locust: {prepared} families")
    server = start(
        [str(BIN / "gunicorn"), "cms.wsgi:application", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning", "--timeout", "120"],
        env, log,
    )  # fmt: skip
    worker = start([PYTHON, "manage.py", "db_worker"], env, log)
    staff = start([PYTHON, "bench/rush_django.py", "staff", str(stop_file)], env, log)
    try:
        wait_for_server(server, BASE)
        locust_env = {
            **env,
            "RUSH_FAMILIES_FILE": str(families_file),
            "RUSH_RESULTS_FILE": str(results_file),
            "RUSH_THINK_SECONDS": str(THINK),
            "RUSH_START": first_day.isoformat(),
            "RUSH_END": last_day.isoformat(),
        }
        burst = time.monotonic()
        subprocess.run(
            [str(BIN / "locust"), "-f", "bench/rush_locustfile.py", "--headless",
             "-u", str(prepared), "-r", str(SPAWN), "--host", BASE, "--run-time", "30m",
             "--csv", str(RESULTS / "rush"), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env=locust_env, check=False,
        )  # fmt: skip
        absorbed = time.monotonic() - burst
        while inside(env, "queue")["waiting"]:
            time.sleep(1)
        drained = time.monotonic() - burst
    finally:
        stop_file.touch()
        staff.wait(timeout=60)
        stop(worker)
        stop(server)
    step("database check")
    check = inside(env, "check", str(results_file))
    rows = stats(RESULTS / "rush")
    submission = rows.get("booking submission (school year)", {})
    total = rows["Aggregated"]
    lines = [
        f"Run on {datetime.date.today():%Y-%m-%d}: {prepared} families of a town before the "
        f"rentrée, gunicorn {WORKERS} workers + db_worker + Redis + PostgreSQL, locust "
        f"spawning {SPAWN:g} families a second, think time {THINK:g} s ± 50 %, weekly "
        f"pattern Mon/Tue/Thu/Fri from {first_day:%d/%m/%Y} to {last_day:%d/%m/%Y}; "
        f"{os.cpu_count()} CPU cores shared by locust, gunicorn and PostgreSQL (load "
        f"average {load_at_start:.1f} before the run, from other programs).",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| time to absorb the burst (first request → last booking) | {absorbed:.0f} s |",
        f"| … and until the task worker's queue is empty | {drained:.0f} s |",
        f"| booking submissions (a school year each) | {submission.get('Request Count', 0)} |",
        f"| booking submission p50 / p95 / p99 | {submission.get('50%', '—')} / "
        f"{submission.get('95%', '—')} / {submission.get('99%', '—')} ms |",
        f"| requests, all kinds / errors | {total['Request Count']} / {total['Failure Count']} |",
        f"| days booked / on a waiting list / refused (explained) | {check['booked']} / "
        f"{check['waiting']} / {check['refused_days']} |",
        f"| units over capacity on a day | {check['over_capacity_count']} |",
        f"| bookings announced but missing / in another state | {check['lost']} / "
        f"{check['state_changed']} |",
        f"| refused days without a reason | {check['unexplained_refusals']} |",
        "",
    ]
    met = (
        drained <= 300
        and int(total["Failure Count"]) == 0
        and check["over_capacity_count"] == 0
        and check["lost"] == 0
    )
    lines.append(
        "Target « absorbed in ≤ 5 minutes, 0 errors, 0 overbooking, 0 lost bookings »: "
        + ("met." if met else "NOT met.")
    )
    text = "\n".join(lines)
    print()
    print(text)
    content = README.read_text()
    block = f"{TABLE_START}\n{text}\n{TABLE_END}"
    if TABLE_START in content:
        content = re.sub(
            rf"{re.escape(TABLE_START)}.*?{re.escape(TABLE_END)}", block, content, flags=re.S
        )
    else:
        content += f"\n## The rentrée rush\n\n{block}\n"
    README.write_text(content)
    print(f"\nbench/README.md updated ({time.monotonic() - started:.0f} s).")


if __name__ == "__main__":
    main()
