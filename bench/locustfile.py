"""The simulated people of the load test (bench/load.py runs it): panel, managers and IMR authors.

Each simulated person signs in once as a demo account of their role (the sign-in page, its CSRF
token, the POST), then browses as people do: their home page, the tracker, the pages of the
reviews the tracker lists, and the IMR pages they reach (an author's own list, or the links on a
review page). Every page must answer 200; anything else counts as an error.

Run through bench/load.py, which builds the data and the server; by hand:

    .venv/bin/locust -f bench/locustfile.py --headless --host http://127.0.0.1:8121 -u 50 -r 10 -t 60s
"""

import itertools
import json
import os
import random
import re
import statistics
import time

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "demo-safeguarding-2026")
# The demo accounts, in turn: the panel (chair and member), the business manager, the two IMR authors.
ACCOUNTS = itertools.cycle(os.environ.get("LOAD_ACCOUNTS", "chair,panel,manager,author,author2").split(","))
REVIEW_LINK = re.compile(r'href="(/reviews/\d+/)"')
IMR_LINK = re.compile(r'href="(/imrs/\d+/)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Every request's time, apart from the sign-in (slow on purpose: the password hash), so that the
# figures for browsing are exact percentiles rather than a mix of locust's per-page estimates; and
# apart, those made once every simulated person has signed in: the steady state, without the burst
# of fifty password hashes at the start.
BROWSING = {"requests": [], "signed_in": 0, "steady_from": None}
USERS = int(os.environ.get("LOAD_USERS", "50"))


@events.request.add_listener
def _timed(name, response_time, exception, start_time=None, **_):
    if not name.startswith("/sign-in/"):
        BROWSING["requests"].append((start_time or time.time(), response_time, exception is not None))


def _figures(requests) -> dict:
    times = sorted(time_ for _, time_, _ in requests)
    if len(times) < 2:
        return {"requests": len(times)}
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "requests": len(times),
        "errors": sum(failed for *_, failed in requests),
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "max": times[-1],
    }


@events.quitting.add_listener
def _write_browsing(environment, **_):
    path = os.environ.get("LOAD_BROWSING_JSON")
    if not path:
        return
    requests, steady_from = BROWSING["requests"], BROWSING["steady_from"]
    steady = [request for request in requests if steady_from and request[0] >= steady_from]
    with open(path, "w") as out:
        json.dump(
            {
                "browsing": _figures(requests),
                "steady": _figures(steady),
                "steady_seconds": time.time() - steady_from if steady_from else 0,
            },
            out,
        )


class Person(HttpUser):
    # A person reads a page for a moment before the next: one to three seconds.
    wait_time = between(1, 3)

    def on_start(self):
        self.username = next(ACCOUNTS)
        self.sign_in()
        self.reviews = self.links("/tracker/", REVIEW_LINK, name="/tracker/")
        if self.username.startswith("author"):
            self.imrs = self.links("/imrs/", IMR_LINK, name="/imrs/")
        else:
            self.imrs = []
            for review in self.reviews[:3]:
                self.imrs += self.links(review, IMR_LINK, name="/reviews/[id]/")

    def sign_in(self):
        with self.client.get("/sign-in/", name="/sign-in/ (page)", catch_response=True) as page:
            token = CSRF_FIELD.search(page.text)
            if page.status_code != 200 or token is None:
                page.failure(
                    f"sign-in page: {page.status_code}, CSRF token {'found' if token else 'missing'}"
                )
                return
        with self.client.post(
            "/sign-in/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
            headers={"Referer": f"{self.host}/sign-in/"},
            name="/sign-in/ (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as signed:
            if signed.status_code != 302:
                signed.failure(f"{self.username} was not signed in: {signed.status_code}")
                return
        BROWSING["signed_in"] += 1
        if BROWSING["signed_in"] == USERS:
            BROWSING["steady_from"] = time.time()

    def links(self, path, pattern, *, name):
        with self.client.get(path, name=name, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"{path}: {page.status_code}")
                return []
            return sorted(set(pattern.findall(page.text)))

    def get(self, path, name):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"{self.username} {path}: {page.status_code}")

    @task(2)
    def home(self):
        self.get("/", "/ (home)")

    @task(2)
    def tracker(self):
        self.get("/tracker/", "/tracker/")

    @task(3)
    def review(self):
        if self.reviews:
            self.get(random.choice(self.reviews), "/reviews/[id]/")

    @task(2)
    def imr(self):
        if self.imrs:
            self.get(random.choice(self.imrs), "/imrs/[id]/")
