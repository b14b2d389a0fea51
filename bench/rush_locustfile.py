"""The rentrée rush, played by locust (``make bench-rush`` runs it; see bench/rush.py).

Each simulated family takes the next line of RUSH_FAMILIES_FILE (its API token and its
school children), then, with think time between steps as a parent on a phone would:
reads the enrolment options, asks to enrol each child in the canteen, waits for the
service's answer (the staff step accepts them as they come), previews then books the
whole school year's weekly pattern (Monday, Tuesday, Thursday, Friday, from today to
the end of the year) for each child, and stops. Every booking answer is appended to
RUSH_RESULTS_FILE for the database check; the run quits when the last family is done.
"""

import json
import os
import random
import threading
import time
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import StopUser

FAMILIES = [
    json.loads(line) for line in Path(os.environ["RUSH_FAMILIES_FILE"]).read_text().splitlines()
]
RESULTS = os.environ["RUSH_RESULTS_FILE"]
THINK = float(os.environ.get("RUSH_THINK_SECONDS", "4"))
START, END = os.environ["RUSH_START"], os.environ["RUSH_END"]
_lock = threading.Lock()
_next = iter(range(len(FAMILIES)))
_done = {"count": 0}


def think():
    time.sleep(random.uniform(0.5 * THINK, 1.5 * THINK))


class Family(HttpUser):
    wait_time = between(0, 0)

    def on_start(self):
        with _lock:
            index = next(_next, None)
        if index is None:
            raise StopUser
        self.family = FAMILIES[index]
        self.client.headers["Authorization"] = f"Bearer {self.family['token']}"

    def _finished(self):
        with _lock:
            _done["count"] += 1
            last = _done["count"] == len(FAMILIES)
        if last:
            self.environment.runner.quit()
        raise StopUser

    @task
    def rentree(self):
        family = self.family
        self.client.get("/api/v1/enrolment-options/", name="enrolment options")
        think()
        enrolments = []
        for child in family["children"]:
            response = self.client.post(
                "/api/v1/enrolments/",
                json={
                    "child": child["child"],
                    "service": family["service"],
                    "site": child["site"],
                    "school_year": family["school_year"],
                },
                name="enrolment request",
            )
            if response.status_code == 201:
                enrolments.append((child, response.json()["public_id"]))
        for child, enrolment in enrolments:
            for _attempt in range(60):
                think()
                state = self.client.get(
                    f"/api/v1/enrolments/{enrolment}/", name="enrolment state"
                ).json()
                if state.get("state") != "en_attente":
                    break
            if state.get("state") != "acceptee":
                continue
            pattern = {
                "child": child["child"],
                "units": [family["unit"]],
                "weekdays": [0, 1, 3, 4],
                "start": START,
                "end": END,
            }
            self.client.post("/api/v1/bookings/pattern/", json=pattern, name="pattern preview")
            think()
            with self.client.post(
                "/api/v1/bookings/pattern/",
                json={**pattern, "confirm": True},
                name="booking submission (school year)",
                catch_response=True,
            ) as response:
                if response.status_code != 201:
                    response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                    continue
                body = response.json()
                with _lock, open(RESULTS, "a") as out:
                    out.write(json.dumps({"child": child["child"], "lines": body["lines"]}) + "\n")
        self._finished()


@events.quitting.add_listener
def _summary(environment, **kwargs):
    environment.process_exit_code = 1 if environment.stats.total.num_failures else 0
