"""The users of ``bench/production_load.py``: each takes a signed-in session and reads pages,
API answers and static files with a think time between requests, as a duty officer or an inspector
does. Every request's time is kept and written as JSON to the file named by
``CHEMPARK_LOAD_RESULTS`` when locust stops; the bench computes the percentiles from it.

Run by the bench, not by hand (it needs the server the bench starts)."""

from __future__ import annotations

import itertools
import json
import os
import time
from typing import Any

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

# "name=key,key,…": the session cookie's name and one session per user, opened by the bench
COOKIE, _, _KEYS = os.environ.get("CHEMPARK_LOAD_SESSIONS", "sessionid=").partition("=")
SESSIONS = itertools.cycle(_KEYS.split(","))
THINK_S = float(os.environ.get("CHEMPARK_LOAD_THINK_S", "3"))
PARK_VIEW = "bbox=118.14,39.16,118.28,39.23&zoom=14"
CLOSE_VIEW = "bbox=118.196,39.196,118.204,39.2&zoom=17"

RECORDS: list[tuple[float, str, float, bool]] = []


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **_kwargs: Any) -> None:
    RECORDS.append((time.time(), name, response_time, exception is None))


@events.quitting.add_listener
def _write(**_kwargs: Any) -> None:
    path = os.environ.get("CHEMPARK_LOAD_RESULTS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(RECORDS, out)


class ParkUser(FastHttpUser):
    """A bureau user: pages about three times as often as the map's API calls that follow them."""

    wait_time = between(THINK_S * 0.5, THINK_S * 1.5)

    def on_start(self) -> None:
        """Take one of the sessions the bench opened (users already signed in, as during a shift:
        a hundred password hashes at once would measure the login, not the pages)."""
        self.cookie = f"{COOKIE}={next(SESSIONS)}"

    def _get(self, kind: str, url: str) -> None:
        with self.client.get(
            url, name=f"{kind} {url}", headers={"Cookie": self.cookie}, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(3)
    def one_map(self) -> None:
        self._get("page", "/")
        for layer in ("enterprises", "major_hazards", "units"):
            self._get("api", f"/api/v1/map/layers/{layer}?{PARK_VIEW}")
        self._get("static", "/static/chempark/map.js")

    @task(2)
    def alarms(self) -> None:
        self._get("page", "/monitoring/alarms/")
        self._get("api", "/api/v1/monitoring/alarms?limit=50")

    @task(2)
    def indicators(self) -> None:
        self._get("page", "/monitoring/indicators/")
        self._get("api", "/api/v1/monitoring/indicators")

    @task(2)
    def hazards(self) -> None:
        self._get("page", "/hazards/")
        self._get("api", "/api/v1/major-hazards?limit=50")

    @task(1)
    def points_close_up(self) -> None:
        self._get("api", f"/api/v1/map/layers/monitoring_points?{CLOSE_VIEW}")
        self._get("static", "/static/chempark/app.css")
