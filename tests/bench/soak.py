#!/usr/bin/env python
"""Soak test: several minutes of mostly reads with writes (10 % by default: a rush), then
count that nothing was lost or doubled; optionally stop PostgreSQL midway (the fault test).

    python tests/bench/run_bench.py --reuse --only home   # once: seeded database quartier_bench
                                                          # (python -m tests.bench.seed_bench)
    python tests/bench/soak.py --minutes 5                # 32 connections, 10 % writes
    python tests/bench/soak.py --writes 0.05              # a quieter mix
    python tests/bench/soak.py --minutes 3 --fault        # also stops PostgreSQL for ~15 s
    python tests/bench/soak.py --minutes 2 --readme       # write the figures into README.md
                                                          # (<!-- soak figures --> … <!-- end …)

It starts gunicorn like run_bench.py (production settings, database quartier_bench, rate limits
off so that every write is meant to be accepted), but with production's number of workers (2 ×
CPUs + 1, `--workers`: a worker waiting for the database leaves the core to another;
run_bench.py compares single pages with 2), and runs 32 client threads. Reads: anonymous GETs
of public pages (lists, area pages, idea pages, the map, the network picture). Writes: ideas
submitted, comments and supports (logged in as soak accounts), meeting registrations and mood
answers (anonymous). Every write the server accepted (a redirect) is recorded; afterwards the
script checks in the database:

- every accepted idea exists exactly once (titles carry a unique marker), none extra; every
  accepted comment, registration and mood answer is stored;
- no support is double and every idea's support_count equals its rows;
- no meeting has more confirmed people than places;
- no 5xx response outside the fault window.

--fault stops PostgreSQL (`pg_ctlcluster --skip-systemctl-redirect 15 main stop`) after a third
of the time, checks that /healthz answers 503 and pages give a clean error page (no traceback),
starts it again after 15 s and checks that the portal recovers by itself. It needs root and
disturbs everything else using that PostgreSQL server: run it only on a machine of your own.

--flood N first measures cached reads alone and under a bounded flood of refused anonymous
POSTs (N client threads, each from its own address, posting 25 times a second without a CSRF
token or with an empty form: 403 or the form again, then 429 once REFUSED_POSTS_LIMIT is
reached; nothing stored), with `wrk` on the home page and the idea list (16 connections, 8 s each,
page cache on): it reports both throughputs, the drop (issue 15's target: less than 10 %), the
flood's statuses and whether the pages were still served from the page cache (`Age` header)
after it — a refused request must not invalidate the cache.
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_bench  # noqa: E402

ROOT = run_bench.ROOT
PYTHON = sys.executable

SETUP = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from participation.ideas.models import Idea
from participation.meetings.models import Meeting
from participation.topics.models import Topic
from quartier.models import User

N = %(users)d
users = []
for number in range(N):
    user, _ = User.objects.get_or_create(
        username=f"soak-{number}", defaults={"email": f"soak-{number}@bench.invalid"}
    )
    users.append(user)
sessions = []
for user in users:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions.append(session.session_key)
ideas = list(Idea.objects.public().order_by("-pk").values_list("pk", flat=True)[:300])
meetings = list(
    Meeting.objects.filter(status="planned", starts_at__gt=timezone.now(), capacity__isnull=False)
    .order_by("starts_at").values_list("pk", flat=True)[:20]
)
topic = Topic.objects.order_by("pk").values_list("pk", flat=True).first()
area = Idea.objects.public().values_list("area__slug", flat=True).first()
from neighbourhoods.models import Area
areas = list(Area.objects.current().order_by("pk").values_list("pk", "slug"))
print(json.dumps({"sessions": sessions, "ideas": ideas, "meetings": meetings, "topic": topic,
                  "area": area, "areas": areas}))
"""

CHECK = r"""
import json
from django.db.models import Count, F, Q, Sum
from participation.ideas.models import Idea, Support
from participation.meetings.models import Meeting, Registration

marker = %(marker)r
titles = list(Idea.objects.filter(title__contains=marker).values_list("title", flat=True))
double_supports = (
    Support.objects.values("idea_id", "user_id").annotate(n=Count("pk")).filter(n__gt=1).count()
)
wrong_counters = (
    Idea.objects.annotate(n=Count("supports")).exclude(n=F("support_count")).count()
)
over = [
    pk for pk, capacity, people in Meeting.objects.filter(capacity__isnull=False).annotate(
        people=Sum("registrations__people",
                   filter=Q(registrations__status=Registration.Status.CONFIRMED))
    ).values_list("pk", "capacity", "people")
    if people and people > capacity
]
registrations = Registration.objects.filter(email__contains=marker).count()
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Comment
comments = Comment.objects.filter(text__contains=marker).count()
moods = MoodAnswer.objects.filter(comment__contains=marker).count()
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
visible = (
    Comment.objects.filter(idea=OuterRef("pk"), is_hidden=False).order_by()
    .values("idea").annotate(n=Count("pk")).values("n")
)
wrong_comment_counters = (
    Idea.objects.filter(pk__in=Comment.objects.filter(text__contains=marker).values("idea_id"))
    .annotate(n=Coalesce(Subquery(visible), 0)).exclude(n=F("comment_count")).count()
)
supports = Support.objects.filter(user__username__startswith="soak-").count()
print(json.dumps({"titles": titles, "double_supports": double_supports,
                  "wrong_counters": wrong_counters, "over_capacity": over,
                  "registrations": registrations, "supports": supports,
                  "comments": comments, "moods": moods,
                  "wrong_comment_counters": wrong_comment_counters}))
"""

READS = [
    "/",
    "/quartiere/",
    "/ideen/",
    "/ideen/?sort=supported",
    "/ideen/karte/",
    "/treffen/",
    "/netzwerk/",
    "/netzwerk/bild/",
    "/stimmung/",
]


class Client:
    """One visitor; `address` is their own address, sent as X-Forwarded-For (the server trusts
    127.0.0.1 as its proxy), so that limits count each visitor as behind a real proxy."""

    def __init__(self, port, session=None, address="10.0.0.1"):
        self.port = port
        self.session = session
        self.address = address
        self.csrf = None
        self.connection = None
        self.from_cache = False  # the last answer came from the page cache (an Age header)

    def request(self, method, path, body=None):
        headers = {"Host": "127.0.0.1", "X-Forwarded-For": self.address}
        cookies = []
        if self.session:
            cookies.append(f"sessionid={self.session}")
        if self.csrf:
            cookies.append(f"csrftoken={self.csrf}")
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for _attempt in range(2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                self.from_cache = response.getheader("Age") is not None
                for name, value in response.getheaders():
                    if name.lower() == "set-cookie" and value.startswith("csrftoken="):
                        self.csrf = value.split(";", 1)[0].split("=", 1)[1]
                return response.status, content.decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                self.connection = None
        return 0, ""

    def form_token(self, path):
        """The hidden fields a form needs: the CSRF token and its one-time form key."""
        status, content = self.request("GET", path)
        fields = {}
        for name in ("csrfmiddlewaretoken", "form_key"):
            match = re.search(rf'name="{name}" value="([^"]+)"', content)
            if match:
                fields[name] = match.group(1)
        return fields


def urlencode(data):
    from urllib.parse import urlencode as encode

    return encode(data)


def page_kind(path):
    """A read's page, for the figures per page: "/ideen/<id>/" for every idea page."""
    if path.startswith("/quartiere/") and path != "/quartiere/":
        return "/quartiere/<area>/"
    return re.sub(r"/\d+/", "/<id>/", path)


def read_path(rng, found):
    """A public page: a list, an area page or an idea page."""
    choice = rng.random()
    if choice < 0.15 and found["areas"]:
        return f"/quartiere/{rng.choice(found['areas'])[1]}/"
    if choice < 0.35 and found["ideas"]:
        return f"/ideen/{rng.choice(found['ideas'])}/"
    return rng.choice(READS)


def worker(number, port, found, marker, deadline, results, lock, writes):
    rng = random.Random(number)
    session = found["sessions"][number % len(found["sessions"])]
    address = f"10.1.{number // 200}.{number % 200 + 1}"
    reader = Client(port, address=address)
    writer = Client(port, session, address=address)
    local = Counter()
    accepted = {"ideas": [], "supports": set(), "registrations": 0, "comments": 0, "moods": 0}
    latencies = {"read": [], "write": []}
    by_page = defaultdict(list)
    while time.monotonic() < deadline:
        if rng.random() >= writes:
            started = time.monotonic()
            path = read_path(rng, found)
            status, content = reader.request("GET", path)
            latencies["read"].append(time.monotonic() - started)
            by_page[page_kind(path)].append(time.monotonic() - started)
            local[f"read {status // 100}xx"] += 1
            local["read from the page cache"] += reader.from_cache
            if status >= 500 and "Traceback" in content:
                local["traceback"] += 1
            continue
        kind = rng.choice(["idea", "comment", "support", "registration", "mood"])
        started = time.monotonic()  # a write: its form page, then the POST
        if kind == "idea":
            title = f"Soak {marker} {uuid.uuid4().hex[:10]}"
            token = writer.form_token("/ideen/neu/")
            status, _content = writer.request(
                "POST",
                "/ideen/neu/",
                urlencode(
                    {
                        **token,
                        "confirm_new": "1",
                        "kind": "idea",
                        "title": title,
                        "text": "Ein Vorschlag aus dem Lasttest.",
                        "topic": found["topic"],
                        "area": "",
                        "location": json.dumps({"type": "Point", "coordinates": [7.43, 51.52]}),
                        "privacy": "on",
                        "consent": "on",
                    }
                ),
            )
            if status == 302:
                accepted["ideas"].append(title)
        elif kind == "comment" and found["ideas"]:
            idea = rng.choice(found["ideas"])
            token = writer.form_token(f"/ideen/{idea}/")
            status, _content = writer.request(
                "POST",
                f"/ideen/{idea}/kommentieren/",
                urlencode({**token, "text": f"Kommentar {marker} aus dem Lasttest."}),
            )
            if status == 302:
                accepted["comments"] += 1
        elif kind == "mood" and found["areas"]:
            token = reader.form_token("/stimmung/")
            status, _content = reader.request(
                "POST",
                "/stimmung/",
                urlencode(
                    {
                        **token,
                        "score": rng.randrange(1, 6),
                        "area": rng.choice(found["areas"])[0],
                        "comment": f"Stimmung {marker}",
                    }
                ),
            )
            if status == 302:
                accepted["moods"] += 1
        elif kind == "support" and found["ideas"]:
            idea = rng.choice(found["ideas"])
            token = writer.form_token(f"/ideen/{idea}/")
            status, _content = writer.request(
                "POST",
                f"/ideen/{idea}/unterstuetzen/",
                urlencode({"csrfmiddlewaretoken": token.get("csrfmiddlewaretoken", "")}),
            )
            if status == 302:
                accepted["supports"].add((session, idea))
        elif found["meetings"]:
            meeting = rng.choice(found["meetings"])
            token = reader.form_token(f"/treffen/{meeting}/")
            status, _content = reader.request(
                "POST",
                f"/treffen/{meeting}/",
                urlencode(
                    {
                        **token,
                        "name": "Soak",
                        "email": f"soak-{marker}-{uuid.uuid4().hex[:8]}@bench.invalid",
                        "people": rng.randrange(1, 4),
                        "note": "",
                    }
                ),
            )
            if status == 302:
                accepted["registrations"] += 1
        else:
            continue
        latencies["write"].append(time.monotonic() - started)
        by_page[f"write: {kind}"].append(time.monotonic() - started)
        local[f"write {kind} {status}"] += 1
    with lock:
        results["counts"].update(local)
        results["ideas"].extend(accepted["ideas"])
        results["supports"] |= accepted["supports"]
        results["registrations"] += accepted["registrations"]
        results["comments"] += accepted["comments"]
        results["moods"] += accepted["moods"]
        for kind, values in latencies.items():
            results["latency"][kind].extend(values)
        for kind, values in by_page.items():
            results["by_page"][kind].extend(values)


def fault(port, results, seconds):
    """Stop PostgreSQL, check /healthz and a page, start it again, wait for recovery."""
    log = results["fault"]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main"]
    subprocess.run([*command, "stop", "-m", "fast"], check=True)
    log.append("PostgreSQL stopped")
    time.sleep(2)
    client = Client(port)
    status, _ = client.request("GET", "/healthz")
    log.append(f"/healthz while down: {status}")
    status, content = client.request("GET", "/ideen/?sort=discussed")
    log.append(f"/ideen/ while down: {status}, traceback shown: {'Traceback' in content}")
    time.sleep(seconds)
    subprocess.run([*command, "start"], check=True)
    started = time.monotonic()
    while time.monotonic() - started < 60:
        status, _ = client.request("GET", "/healthz")
        if status == 200:
            log.append(f"recovered {time.monotonic() - started:.1f} s after the restart")
            return
        time.sleep(0.5)
    log.append("NOT recovered within 60 s")


FLOOD_READS = ["/", "/ideen/"]
FLOOD_RATE = 25  # refused POSTs a second per flood thread


def flood_poster(port, found, deadline, statuses, lock, number=0):
    """Refused anonymous POSTs, one after the other, until `deadline` (each poster from an
    address of its own: a flood from N machines)."""
    client = Client(port, address=f"10.99.0.{number + 1}")
    local = Counter()
    meeting = found["meetings"][0] if found["meetings"] else None
    targets = ["/ideen/neu/", "/stimmung/", *([f"/treffen/{meeting}/"] if meeting else [])]
    number = 0
    started = time.monotonic()
    while time.monotonic() < deadline:
        # bounded: FLOOD_RATE posts a second per thread (a flood, not a benchmark of the client)
        time.sleep(max(0.0, started + number / FLOOD_RATE - time.monotonic()))
        path = targets[number % len(targets)]
        number += 1
        if number % 4 == 0:  # a token but an empty form: the form comes back with errors
            client.csrf = None
            token = client.form_token(path)
            body = urlencode({"csrfmiddlewaretoken": token.get("csrfmiddlewaretoken", "")})
        else:  # no token at all: 403 before any view runs
            client.csrf = None
            body = urlencode({"title": "Flut", "text": "x" * 200})
        status, _content = client.request("POST", path, body)
        local[f"flood POST {status}"] += 1
    with lock:
        statuses.update(local)


def cached_reads(port, seconds):
    """wrk on the flood's read pages: {path: requests/s}."""
    return {
        path: run_bench.wrk(
            f"http://127.0.0.1:{port}{path}", seconds=seconds, connections=16, threads=2
        )["rps"]
        for path in FLOOD_READS
    }


def from_page_cache(port, path, tries=6):
    """Whether `path` is still served from the page cache, as wrk asked for it.

    The store is per process and keyed by the Host header among others: wrk sends
    `127.0.0.1:<port>`, so the check must too (with `127.0.0.1` alone, as before, it asked for
    a page nobody had visited: a miss by construction), and it asks several times on new
    connections because either of the workers may answer. True if every answer after the
    first of each worker came from the store (`Age`)."""
    ages = []
    for _try in range(tries):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = connection.getresponse()
        response.read()
        ages.append(response.getheader("Age") is not None)
        connection.close()
    return ages.count(False) <= 2 and ages[-1]


def flood_check(port, found, posters, seconds=8):
    """Cached reads alone, then under `posters` threads of refused POSTs."""
    for path in FLOOD_READS:  # warm the page cache
        run_bench.wrk(f"http://127.0.0.1:{port}{path}", seconds=2, connections=4, threads=1)
    alone = cached_reads(port, seconds)
    statuses, lock = Counter(), threading.Lock()
    deadline = time.monotonic() + seconds * len(FLOOD_READS) + 2
    threads = [
        threading.Thread(target=flood_poster, args=(port, found, deadline, statuses, lock, number))
        for number in range(posters)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1)
    flooded = cached_reads(port, seconds)
    for thread in threads:
        thread.join()
    still_cached = {path: from_page_cache(port, path) for path in FLOOD_READS}
    return {
        "alone": alone,
        "flooded": flooded,
        "statuses": dict(sorted(statuses.items())),
        "still_cached": still_cached,
    }


def print_flood(flood, posters):
    problems = []
    print(f"flood: {posters} threads of refused anonymous POSTs: {flood['statuses']}")
    for path, alone in flood["alone"].items():
        flooded = flood["flooded"][path]
        drop = 1 - flooded / alone if alone else 0
        print(
            f"flood: cached {path}: {alone:.0f} req/s alone, {flooded:.0f} req/s under the "
            f"flood ({drop:+.0%} drop; target < 10 %), still from the page cache afterwards: "
            f"{flood['still_cached'][path]}"
        )
        if not flood["still_cached"][path]:
            problems.append(f"{path} not served from the page cache after the flood")
    stored = [key for key in flood["statuses"] if re.search(r"\b(2\d\d|30\d|5\d\d)$", key)]
    if any(not key.endswith(" 200") for key in stored):  # 200: the form again, with errors
        problems.append(f"flood requests not refused: {stored}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn sync workers (default: production's, 2 × CPUs + 1; run_bench.py uses 2)",
    )
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--database", default="quartier_bench")
    parser.add_argument("--server", default=run_bench.SERVER)
    parser.add_argument("--fault", action="store_true", help="stop PostgreSQL midway")
    parser.add_argument("--writes", type=float, default=0.10, help="share of writes (0.10)")
    parser.add_argument("--cache-url", default="", help="CACHE_URL (default: the settings')")
    parser.add_argument(
        "--flood", type=int, default=0, help="threads of refused POSTs vs cached reads (first)"
    )
    parser.add_argument(
        "--readme", action="store_true", help="write the figures into README.md (soak figures)"
    )
    options = parser.parse_args()
    load_before = os.getloadavg()[0]

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.bench_settings",
        "DATABASE_URL": f"{options.server}/{options.database}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "GUNICORN_WORKERS": str(options.workers),
        "GUNICORN_BIND": f"127.0.0.1:{options.port}",
        "GUNICORN_ACCESSLOG": "",
        "RATELIMIT_ENABLED": "0",
        "TRUSTED_PROXIES": "127.0.0.1",  # each client thread sends its own X-Forwarded-For
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(ROOT),
    }
    if options.cache_url:
        env["CACHE_URL"] = options.cache_url
    marker = uuid.uuid4().hex[:8]
    found = json.loads(
        run_bench.manage(env, "shell", "-v0", "-c", SETUP % {"users": 64}, capture=True)
    )
    run_bench.manage(env, "collectstatic", "--noinput", "-v0")
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "quartier/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    results = {
        "counts": Counter(),
        "ideas": [],
        "supports": set(),
        "registrations": 0,
        "comments": 0,
        "moods": 0,
    }
    results["fault"] = []
    results["latency"] = {"read": [], "write": []}
    results["by_page"] = defaultdict(list)
    lock = threading.Lock()
    try:
        if not run_bench.wait_for(f"http://127.0.0.1:{options.port}/healthz"):
            sys.exit("gunicorn did not start")
        flood = flood_check(options.port, found, options.flood) if options.flood else None
        seconds = options.minutes * 60
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(
                target=worker,
                args=(
                    number,
                    options.port,
                    found,
                    marker,
                    deadline,
                    results,
                    lock,
                    options.writes,
                ),
            )
            for number in range(options.connections)
        ]
        for thread in threads:
            thread.start()
        if options.fault:
            time.sleep(seconds / 3)
            fault(options.port, results, 15)
        for thread in threads:
            thread.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    check = json.loads(
        run_bench.manage(env, "shell", "-v0", "-c", CHECK % {"marker": marker}, capture=True)
    )
    counts = results["counts"]
    print(json.dumps(dict(sorted(counts.items())), indent=1))
    accepted_titles = Counter(results["ideas"])
    stored_titles = Counter(check["titles"])
    problems = []
    if accepted_titles != stored_titles:
        missing = accepted_titles - stored_titles
        extra = stored_titles - accepted_titles
        problems.append(f"ideas: {len(missing)} accepted but missing, {len(extra)} extra/double")
    if check["double_supports"]:
        problems.append(f"{check['double_supports']} double supports")
    if check["wrong_counters"]:
        problems.append(f"{check['wrong_counters']} ideas with a wrong support_count")
    if check["over_capacity"]:
        problems.append(f"meetings over capacity: {check['over_capacity']}")
    if check["registrations"] != results["registrations"]:
        problems.append(
            f"registrations: {results['registrations']} accepted, {check['registrations']} stored"
        )
    for kind in ("comments", "moods"):
        if check[kind] != results[kind]:
            problems.append(f"{kind}: {results[kind]} accepted, {check[kind]} stored")
    if check["wrong_comment_counters"]:
        problems.append(f"{check['wrong_comment_counters']} ideas with a wrong comment_count")
    server_errors = sum(n for key, n in counts.items() if re.search(r"\b5\d\d|5xx", key))
    if server_errors and not options.fault:
        problems.append(f"{server_errors} server errors")
    if counts.get("traceback"):
        problems.append(f"{counts['traceback']} responses showed a traceback")
    print(
        f"accepted: {len(results['ideas'])} ideas, {len(results['supports'])} supports, "
        f"{results['registrations']} registrations, {results['comments']} comments, "
        f"{results['moods']} mood answers"
    )
    print(
        f"{options.connections} connections, {options.workers} workers, "
        f"{options.writes:.0%} writes, CACHE_URL "
        f"{options.cache_url or 'settings default'}, PAGE_CACHE_SECONDS "
        f"{os.environ.get('PAGE_CACHE_SECONDS', 'default')}, load average "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    total = sum(len(values) for values in results["latency"].values())
    print(f"{total} requests in {options.minutes:g} min: {total / seconds:.0f} per second")
    reads = sum(n for key, n in counts.items() if re.fullmatch(r"read \dxx", key))
    hits = counts.get("read from the page cache", 0)
    print(f"reads from the page cache: {hits} of {reads} ({hits / max(reads, 1):.0%})")
    percentiles = {}
    for kind, values in results["latency"].items():
        values.sort()
        if values:
            p50, p99 = (values[int(len(values) * share)] * 1000 for share in (0.5, 0.99))
            percentiles[kind] = (len(values), p50, p99)
            print(f"{kind}s: {len(values)}, p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    print("per page (p50 / p99 ms, count), slowest p99 first:")
    for kind, values in sorted(
        results["by_page"].items(), key=lambda item: -sorted(item[1])[int(len(item[1]) * 0.99)]
    ):
        values.sort()
        p50, p99 = (values[int(len(values) * share)] * 1000 for share in (0.5, 0.99))
        print(f"  {kind:<28} {p50:5.0f} / {p99:5.0f}  ({len(values)})")
    for line in results["fault"]:
        print("fault:", line)
    if flood:
        problems += print_flood(flood, options.flood)
    verdict = "PROBLEMS: " + "; ".join(problems) if problems else "OK: nothing lost or doubled"
    print(verdict)
    if options.readme:
        figures = {
            "options": options,
            "load": (load_before, os.getloadavg()[0]),
            "total": total,
            "seconds": seconds,
            "percentiles": percentiles,
            "results": results,
            "server_errors": server_errors,
            "hits": (hits, reads),
            "flood": flood,
            "verdict": verdict,
        }
        run_bench.replace_between(README_START, README_END, readme_text(figures))
    sys.exit(1 if problems else 0)


README_START = "<!-- soak figures -->"
README_END = "<!-- end of soak figures -->"
TARGETS_MS = {"read": 150, "write": 300}  # issue 15: p99 during the rush


def readme_text(figures):
    """The soak's figures for README.md (between README_START and README_END)."""
    options, results = figures["options"], figures["results"]
    before, after = figures["load"]
    page_cache = os.environ.get("PAGE_CACHE_SECONDS", "60 (default)")
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC by `python "
        f"tests/bench/soak.py --readme` on {run_bench.machine()}, **load average "
        f"{before:.1f} at the start, {after:.1f} at the end** (the machine is shared: the "
        f"latencies include the neighbours' load); gunicorn {options.workers} sync workers, "
        f"production "
        f"settings, database `{options.database}`, CACHE_URL "
        f"{options.cache_url or 'settings default'}, PAGE_CACHE_SECONDS {page_cache}; "
        f"{options.connections} connections for {options.minutes:g} min, "
        f"{options.writes:.0%} writes.",
        "",
        "| Requests | Reads from the page cache | Reads p50 / p99 | Writes (form + POST) p50 / "
        "p99 | Accepted writes | Result |",
        "|---:|---:|---|---|---|---|",
    ]
    cells = []
    for kind in ("read", "write"):
        if kind in figures["percentiles"]:
            _count, p50, p99 = figures["percentiles"][kind]
            verdict = "pass" if p99 < TARGETS_MS[kind] else "FAIL"
            cells.append(f"{p50:,.0f} / {p99:,.0f} ms (< {TARGETS_MS[kind]} ms: {verdict})")
        else:
            cells.append("–")
    accepted = (
        f"{len(results['ideas'])} ideas, {len(results['supports'])} supports, "
        f"{results['registrations']} registrations, {results['comments']} comments, "
        f"{results['moods']} mood answers"
    )
    hits, reads = figures["hits"]
    lines.append(
        f"| {figures['total']:,} ({figures['total'] / figures['seconds']:.0f}/s), "
        f"{figures['server_errors']} server errors | {hits:,} of {reads:,} "
        f"({hits / max(reads, 1):.0%}) | {cells[0]} | {cells[1]} | {accepted} "
        f"| {figures['verdict']} |"
    )
    flood = figures["flood"]
    if flood:
        lines.append("")
        lines.append(
            f"Flood (`--flood {options.flood}`: refused anonymous POSTs, statuses "
            f"{flood['statuses']}):"
        )
        for path, alone in flood["alone"].items():
            flooded = flood["flooded"][path]
            drop = 1 - flooded / alone if alone else 0
            lines.append(
                f"- cached `{path}`: {alone:,.0f} req/s alone, {flooded:,.0f} under the flood "
                f"({drop:.0%} less); still served from the page cache afterwards: "
                f"{'yes' if flood['still_cached'][path] else 'NO'}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
