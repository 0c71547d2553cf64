#!/usr/bin/env python
"""Fault injection, long form (`make faults`): the scenarios of tests/faults/ with more data, more kills
and a longer outage, against the real services on loopback, each checked against its target.

    .venv/bin/python benchmarks/faults/run.py [a b c d]

Databases: FAULT_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/zz_fault) is migrated and used
as a template; each run works on a fresh copy named <name>_run, dropped at the end. Redis:
FAULT_REDIS_URL (default redis://127.0.0.1:6379/7, flushed) for the killed-worker scenario; the others
start their own redis-server / PostgreSQL cluster / gunicorn on free loopback ports and stop them.
Writes benchmarks/faults/results.json; exit status 1 when a target is missed.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
TEMPLATE_URL = os.environ.get("FAULT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zz_fault")
REDIS_URL = os.environ.get("FAULT_REDIS_URL", "redis://127.0.0.1:6379/7")
RESULTS = ROOT / "benchmarks" / "faults" / "results.json"
CONNECT_TIMEOUT = 2


def with_db(url, name):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def psql(url, sql):
    subprocess.run(["psql", "-d", with_db(url, "postgres"), "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True,
                   timeout=120)


def prepare_database():
    """Migrate the template database and copy it to a fresh one for this run."""
    from benchmarks.faults.harness import django_env

    template = urlsplit(TEMPLATE_URL).path.lstrip("/")
    run_name = f"{template}_run"
    exists = subprocess.run(["psql", "-d", with_db(TEMPLATE_URL, "postgres"), "-Atc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{template}'"],  # noqa: S608 - our name
                            capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    if not exists:
        psql(TEMPLATE_URL, f'CREATE DATABASE "{template}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True,
                   env=django_env(DATABASE_URL=TEMPLATE_URL), timeout=600)
    psql(TEMPLATE_URL, f'DROP DATABASE IF EXISTS "{run_name}"')
    psql(TEMPLATE_URL, f'CREATE DATABASE "{run_name}" TEMPLATE "{template}"')
    return run_name, with_db(TEMPLATE_URL, run_name)


def check_a(r):
    counts = set(r["deliveries"].values())
    return [
        (f"worker killed after {r['at_kill']['delivered']} of {r['notifications']} e-mails; message unacknowledged "
         f"in Redis ({r['at_kill']['unacked']}) and redelivered", r["at_kill"]["unacked"] == 1),
        (f"every e-mail delivered exactly once (deliveries per address: {sorted(counts)})",
         counts == {1} and not r["extra_deliveries"] and r["after"]["outbox"]["emailed"] == r["notifications"]),
        (f"outbox done {r['recovery_ms'] / 1000:.1f} s after the restarted worker's start, at most 30 s",
         r["recovery_ms"] <= 30_000),
    ]


def check_b(r):
    counts = set(r["deliveries"].values())
    return [
        (f"{r['outcomes'].count('submitted')} of {r['submitters']} submissions succeeded with Redis down",
         r["outcomes"] == ["submitted"] * r["submitters"]),
        (f"slowest submission with Redis down {r['submit_max_ms']:.0f} ms, at most 2000 ms",
         r["submit_max_ms"] <= 2000),
        (f"{r['while_down']['outbox']['rows']} notifications waited in the outbox, none sent while down",
         r["while_down"]["outbox"]["emailed"] == 0 and r["while_down"]["outbox"]["rows"] == r["submitters"]),
        (f"sent by the sweep {r['recovery_ms'] / 1000:.1f} s after the worker started, at most 30 s",
         r["recovery_ms"] <= 30_000),
        (f"each e-mail exactly once ({len(r['deliveries'])} delivered, counts {sorted(counts)}), also after more "
         f"sweeps and a submission made after the restart",
         counts == {1} and len(r["deliveries"]) == r["outbox"]["rows"] == r["outbox"]["emailed"]),
        ("no partial rows: " + ("; ".join(r["state"]["problems"]) or "none"), not r["state"]["problems"]),
    ]


def check_c(r):
    anonymous = [p for p in r["probes"] if p["who"] == "anonymous"]
    user = [p for p in r["probes"] if p["who"] == "user"]
    return [
        (f"{len(r['probes'])} requests during the {r['outage_s']} s outage all failed with 500/503",
         all(p["status"] in (500, 503) for p in r["probes"])),
        (f"slowest of them {r['probe_max_ms']:.0f} ms, at most the connect timeout ({CONNECT_TIMEOUT} s) + 1 s",
         r["probe_max_ms"] <= CONNECT_TIMEOUT * 1000 + 1000),
        ("the public page's error page is the Chinese one", all(p["chinese_error_page"] for p in anonymous)),
        (f"a logged-in user's error page is the Chinese one ({sum(p['chinese_error_page'] for p in user)} of "
         f"{len(user)}; the 500 page renders without the database)", all(p["chinese_error_page"] for p in user)),
        (f"site answers again {r['recovery_ms'] / 1000:.2f} s after PostgreSQL is back, at most 5 s",
         r["recovery_ms"] <= 5000),
        (f"{r['state']['submitted']} of {r['submitters']} submitted, no partial rows: "
         + ("; ".join(r["state"]["problems"]) or "none"),
         not r["state"]["problems"] and r["state"]["submitted"] == r["submitters"]),
    ]


def check_d(r):
    state = r["state"]
    return [
        (f"{sum(r['kills'].values())} workers SIGKILLed ({r['kills']['in_submission']} inside a submission), "
         f"{r['dropped_posts']} submissions dropped on the client and retried", r["kills"]["in_submission"] >= 5),
        (f"{state['submitted']} of {r['submitters']} submitted, none lost", state["submitted"] == r["submitters"]),
        ("none twice, receipts gap-free per county " + json.dumps(state["receipts"]) + ": "
         + ("; ".join(state["problems"]) or "no problems"), not state["problems"]),
        (f"all {r['workers_alive_after']} gunicorn workers back", r["workers_alive_after"] >= 3),
    ]


def figures(result):
    """The scenario's result for results.json: per-address and per-client detail reduced to counts."""
    slim = {}
    for key, value in result.items():
        if key == "deliveries":
            slim["deliveries_per_email"] = {str(n): c for n, c in sorted(Counter(value.values()).items())}
        elif key == "clients":
            slim["client_outcomes"] = dict(Counter(v["outcome"] for v in value.values()))
            slim["client_retries"] = sum(v["retries"] for v in value.values())
        elif key == "outbox":
            slim[key] = {k: v for k, v in value.items() if k != "expected"}
        elif key == "while_down":
            slim[key] = {**value, "outbox": {k: v for k, v in value["outbox"].items() if k != "expected"}}
        else:
            slim[key] = value
    return json.loads(json.dumps(slim, default=str))


def main(argv):
    wanted = set(argv) or {"a", "b", "c", "d"}
    run_name, db_url = prepare_database()
    media = tempfile.mkdtemp(prefix="zz_fault-media-")
    os.environ.update(DJANGO_SETTINGS_MODULE="benchmarks.faults.settings", DATABASE_URL=db_url, REDIS_URL="",
                      MEDIA_ROOT=media)
    import django

    django.setup()
    from django.db import connections

    from benchmarks.faults import scenarios
    from benchmarks.faults.harness import Lab

    plan = {
        "a": ("worker_killed", check_a, lambda lab: scenarios.worker_killed(
            lab, db_url=db_url, redis_url=REDIS_URL, media_root=media, notifications=40, kill_after=12,
            mail_delay=0.1, visibility=3)),
        "b": ("redis_down", check_b, lambda lab: scenarios.redis_down(
            lab, db_url=db_url, media_root=media, submitters=30, sweep_seconds=1.0)),
        "c": ("postgres_restart", check_c, lambda lab: scenarios.postgres_restart(
            lab, source_db_url=db_url, submitters=30, threads=6, outage=5.0, connect_timeout=CONNECT_TIMEOUT)),
        "d": ("web_workers_killed", check_d, lambda lab: scenarios.web_workers_killed(
            lab, db_url=db_url, media_root=media, submitters=60, threads=6, workers=3,
            kill_every=(0.3, 0.7), max_kills=40, submit_delay=0.15, time_limit=240)),
    }
    # a run of some scenarios keeps the others' last figures (each entry carries its own time and load)
    report = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    report.pop("_meta", None)
    all_met = True
    try:
        for key in sorted(wanted):
            name, check, scenario = plan[key]
            print(f"\n== ({key}) {name} ...", flush=True)
            started = time.monotonic()
            with tempfile.TemporaryDirectory(prefix=f"zz_fault-{key}-") as work, Lab(work) as lab:
                try:
                    result = scenario(lab)
                except Exception as exc:
                    print(f"  [MISSED] scenario failed: {exc}")
                    report[name] = {"error": str(exc)}
                    all_met = False
                    continue
            checks = check(result)
            for text, met in checks:
                print(f"  [{'met' if met else 'MISSED'}] {text}")
            all_met &= all(met for _text, met in checks)
            report[name] = {"seconds": round(time.monotonic() - started, 1),
                            "at": time.strftime("%Y-%m-%d %H:%M:%S %z"), "load_average": os.getloadavg(),
                            "checks": [{"target": text, "met": met} for text, met in checks],
                            "figures": figures(result)}
    finally:
        connections.close_all()
        psql(TEMPLATE_URL, f'DROP DATABASE IF EXISTS "{run_name}"')
        shutil.rmtree(media, ignore_errors=True)
    report["_meta"] = {"at": time.strftime("%Y-%m-%d %H:%M:%S %z"), "load_average": os.getloadavg(),
                       "cpus": os.cpu_count(), "scenarios_run": sorted(wanted)}
    RESULTS.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWrote {RESULTS.relative_to(ROOT)}; {'all targets met' if all_met else 'TARGETS MISSED'}")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
