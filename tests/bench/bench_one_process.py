#!/usr/bin/env python
"""Benchmark: what one application process serves — to size a larger installation.

    python tests/bench/bench_one_process.py [--database quartier_bench] [--seconds 8]

Runs gunicorn with ONE sync worker (production settings, CACHE_URL=redis, PostgreSQL with the
big data set of `run_bench.py`, which must have been seeded: `run_bench.py` once, or
`manage.py seed_bench`) and drives a few public pages with wrk (4 connections), first with the
anonymous page cache and then without it (PAGE_CACHE_SECONDS=0). Besides requests/s — which
depend on whatever else runs on the machine — it reads the worker process's own CPU time from
/proc and prints the CPU milliseconds one request costs the application process: 1000 / that
is what one process can serve on a core of its own (the database's CPU is not included; in a
larger installation it runs on its own machine). Not collected by pytest.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import run_bench  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
PAGES = ["home", "ideas", "idea page", "area page", "meetings", "network"]


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def worker_pid(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def measure(env, urls, *, seconds, label):
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "quartier/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{env['GUNICORN_BIND']}"
    rows = []
    try:
        assert run_bench.wait_for(base + "/healthz"), "gunicorn did not start"
        worker = worker_pid(server.pid)
        for name, path in urls:
            url = base + path
            run_bench.wrk(url, seconds=2, connections=4, threads=1)  # warm-up
            before = cpu_seconds(worker)
            result = run_bench.wrk(url, seconds=seconds, connections=4, threads=1)
            used = cpu_seconds(worker) - before
            result["cpu_ms"] = used * 1000 / max(result["requests"], 1)
            rows.append((label, name, path, result))
            print(
                f"{label:<10} {name:<12} {result['rps']:7.0f} req/s  p50 {result['p50']:7.1f} ms"
                f"  {result['cpu_ms']:6.2f} CPU ms/request  errors {result['errors']}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="quartier_bench")
    parser.add_argument("--server", default=run_bench.SERVER)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--seconds", type=int, default=8)
    options = parser.parse_args()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.bench_settings",
        "DATABASE_URL": f"{options.server}/{options.database}",
        "CACHE_URL": options.cache_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="quartier-bench-static-"),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_BIND": f"127.0.0.1:{options.port}",
        "GUNICORN_ACCESSLOG": "",
        "PYTHONPATH": str(ROOT),
    }
    run_bench.manage(env, "migrate", "-v0")
    run_bench.manage(env, "collectstatic", "--noinput", "-v0")
    found = json.loads(
        run_bench.manage(env, "shell", "-v0", "-c", run_bench.DISCOVER, capture=True)
    )
    urls = [(name, path) for name, path, _ in run_bench.pages(found) if name in PAGES]
    load = os.getloadavg()[0]
    rows = measure(env, urls, seconds=options.seconds, label="cached")
    rows += measure({**env, "PAGE_CACHE_SECONDS": "0"}, urls, seconds=options.seconds,
                    label="uncached")  # fmt: skip
    print()
    print(
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {run_bench.machine()}, "
        f"load average {load:.1f} at the start; 1 gunicorn sync worker, CACHE_URL "
        f"{options.cache_url}, PostgreSQL {run_bench.postgres_version(options.server)}, "
        f"wrk 4 connections, {options.seconds} s per page."
    )
    print()
    print("| Page | page cache | req/s (this machine) | p50 ms | CPU ms per request | "
          "≈ req/s per free core |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|")
    for label, name, _path, result in rows:
        print(
            f"| {name} | {'on' if label == 'cached' else 'off'} | {result['rps']:.0f} | "
            f"{result['p50']:.1f} | {result['cpu_ms']:.2f} | {1000 / result['cpu_ms']:.0f} |"
        )


if __name__ == "__main__":
    main()
