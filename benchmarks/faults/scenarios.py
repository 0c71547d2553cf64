"""The four fault scenarios. Each starts what it needs inside a ``Lab`` (stopped by the caller), injects
the fault, waits (bounded) for recovery and returns figures and observed state for the caller to assert.

They need the project's Django set up in the calling process (pytest, or run.py) on the database given
as ``db_url`` (except the PostgreSQL scenario, which makes its own cluster) so that they can seed and
check with the ORM.
"""

import contextlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

from . import mailbox, seed
from .client import Enterprise, Transient
from .harness import (
    ROOT,
    FaultError,
    Gunicorn,
    PgCluster,
    RedisServer,
    Worker,
    children_of,
    django_env,
    free_port,
    wait_until,
)


def _ms(seconds):
    return round(seconds * 1000, 1)


def _run_seed(env, *args, timeout=120):
    done = subprocess.run([sys.executable, "-m", "benchmarks.faults.seed", *map(str, args)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise AssertionError(f"seed {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _deliveries(path):
    return Counter((address, message["subject"]) for message in mailbox.read(path) for address in message["to"])


def worker_killed(lab, *, db_url, redis_url, media_root, notifications=10, kill_after=3, mail_delay=0.25,
                  visibility=3):
    """(a) SIGKILL a real Celery worker in the middle of the outbox task (core.send_pending_emails).

    The task is published by notify()'s on-commit hook in a seeding process; the worker delivers
    ``kill_after`` e-mails and is killed while it waits to deliver the next. With late acknowledgement the
    message stays in Redis's unacked set; a second worker started after the visibility timeout gets it
    again and finishes. Every e-mail must be delivered exactly once."""
    import redis

    broker = redis.Redis.from_url(redis_url)
    broker.flushdb()
    box = lab.dir / "mailbox-worker-killed.jsonl"
    env = django_env(DATABASE_URL=db_url, REDIS_URL=redis_url, MEDIA_ROOT=media_root, FAULT_MAILBOX=box,
                     FAULT_MAIL_DELAY=mail_delay, CELERY_VISIBILITY_TIMEOUT=visibility)
    emails = _run_seed(env, "notify", notifications, "killed")
    queued = broker.llen("celery")
    first = lab.add(Worker("worker-killed-1", env=env, log_dir=lab.dir)).start()
    wait_until(lambda: len(mailbox.read(box)) >= kill_after, 30, what=f"{kill_after} e-mails")
    time.sleep(mail_delay / 2)  # now inside the wait before the next delivery
    first.kill(signal.SIGKILL)
    at_kill = {"delivered": len(mailbox.read(box)), "outbox": seed.outbox_state(emails),
               "unacked": broker.hlen("unacked"), "queued": broker.llen("celery")}
    time.sleep(visibility + 0.5)
    started = time.monotonic()
    second = lab.add(Worker("worker-killed-2", env=env, log_dir=lab.dir)).start()
    wait_until(lambda: seed.outbox_state(emails)["emailed"] == notifications, 60, interval=0.1,
               what="the outbox to be sent after the restart")
    recovered = time.monotonic() - started
    second.stop()
    deliveries = Counter(address for message in mailbox.read(box) for address in message["to"])
    return {
        "notifications": notifications, "queued_before": queued, "at_kill": at_kill,
        "after": {"outbox": seed.outbox_state(emails), "unacked": broker.hlen("unacked"),
                  "queued": broker.llen("celery")},
        "deliveries": {email: deliveries[email] for email in emails},
        "extra_deliveries": sorted(set(deliveries) - set(emails)),
        "recovery_ms": _ms(recovered),
    }


def redis_down(lab, *, db_url, media_root, submitters=8, sweep_seconds=1.0):
    """(b) Enterprises submit through gunicorn while the broker (a private redis-server) is stopped.

    Submissions must succeed quickly, their notifications wait in the outbox; when Redis is back a real
    worker with beat's sweep sends each e-mail exactly once; a submission made after the restart is
    e-mailed too (the web processes' Celery connections recover without a restart)."""
    redis_server = lab.add(RedisServer(free_port(6391), log_dir=lab.dir)).start()
    box = lab.dir / "mailbox-redis-down.jsonl"
    env = django_env(DATABASE_URL=db_url, REDIS_URL=redis_server.url(7), MEDIA_ROOT=media_root, FAULT_MAILBOX=box,
                     FAULT_SWEEP_SECONDS=sweep_seconds)
    round_id, people = seed.seed_submitters(submitters + 1)
    late = people.pop()
    web = lab.add(Gunicorn(free_port(8791), env=env, log_dir=lab.dir, workers=2)).start()
    clients = [Enterprise(web.base_url, p["username"], p["password"]) for p in people]
    for client in clients:
        client.login()
    redis_server.stop()
    timings, outcomes = [], []
    for client, person in zip(clients, people, strict=True):
        started = time.monotonic()
        try:
            outcomes.append(client.submit_once(person["app"]))
        except Transient as exc:
            outcomes.append(str(exc))
        timings.append(time.monotonic() - started)
    while_down = {"state": seed.verify(round_id), "outbox": seed.round_outbox(round_id),
                  "delivered": len(mailbox.read(box))}
    redis_server.start()
    started = time.monotonic()
    lab.add(Worker("worker-sweep", env=env, log_dir=lab.dir, beat=True)).start()
    wait_until(lambda: seed.round_outbox(round_id)["emailed"] == while_down["outbox"]["rows"], 60, interval=0.1,
               what="the outbox sweep after Redis came back")
    recovered = time.monotonic() - started
    time.sleep(2 * sweep_seconds + 0.5)  # more sweeps: nothing may go out twice
    late_client = Enterprise(web.base_url, late["username"], late["password"])
    late_started = time.monotonic()
    late_outcome = late_client.submit_once(late["app"])
    late_ms = _ms(time.monotonic() - late_started)
    outbox = wait_until(lambda: (lambda o: o if o["emailed"] == o["rows"] else None)(seed.round_outbox(round_id)),
                        30, interval=0.1, what="the e-mails of the submission made after the restart")
    return {
        "submitters": submitters, "outcomes": outcomes, "submit_ms": [_ms(t) for t in timings],
        "submit_max_ms": _ms(max(timings)), "while_down": while_down, "recovery_ms": _ms(recovered),
        "late": {"outcome": late_outcome, "submit_ms": late_ms},
        "state": seed.verify(round_id), "outbox": outbox, "deliveries": _deliveries(box),
    }


def _submit_all(base_url, people, *, threads, deadline, results):
    """Clients in ``threads`` threads, each submitting its share with retries; results[app] = outcome."""
    def run(share):
        for person in share:
            client = Enterprise(base_url, person["username"], person["password"], timeout=20)
            outcome, failures = client.submit(person["app"], attempts=400, deadline=deadline)
            results[person["app"]] = {"outcome": outcome, "retries": len(failures), "failures": failures[-3:],
                                      "dropped_posts": sum(f.startswith("POST") for f in failures)}

    workers = [threading.Thread(target=run, args=(people[n::threads],), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    return workers


def postgres_restart(lab, *, source_db_url, submitters=12, threads=3, outage=3.0, connect_timeout=2,
                     submit_delay=0.1):
    """(c) Restart a throwaway PostgreSQL cluster (never the shared one) while enterprises submit and a
    logged-in user keeps loading pages through gunicorn.

    During the outage requests must fail fast (within the connect timeout) with the Chinese error page;
    after the restart the site answers again within seconds; every submission is complete or absent."""
    cluster = lab.add(PgCluster(free_port(5499))).init().start()
    cluster.createdb_with_schema_of("zz_fault_pg", source_db_url)
    db_url = cluster.url("zz_fault_pg")
    env = django_env(DATABASE_URL=db_url, REDIS_URL="", MEDIA_ROOT=lab.dir / "media-pg",
                     FAULT_MAILBOX=lab.dir / "mailbox-pg.jsonl", DB_CONNECT_TIMEOUT=connect_timeout,
                     FAULT_SUBMIT_DELAY=submit_delay)
    seeded = _run_seed(env, "seed", submitters + 1)
    round_id, people = seeded["round"], seeded["people"]
    watcher_person = people.pop()
    web = lab.add(Gunicorn(free_port(8792), env=env, log_dir=lab.dir, workers=2)).start()
    watcher = Enterprise(web.base_url, watcher_person["username"], watcher_person["password"], timeout=30)
    watcher.login()
    results = {}
    clients = _submit_all(web.base_url, people, threads=threads, deadline=time.monotonic() + 60, results=results)
    time.sleep(0.5)
    cluster.stop("fast")
    down_at = time.monotonic()
    probes, anonymous = [], requests.Session()
    while time.monotonic() - down_at < outage:
        for who, http, path in (("user", watcher.http, "/applications/"), ("anonymous", anonymous, "/public/")):
            started = time.monotonic()
            response = http.get(web.base_url + path, timeout=30, allow_redirects=False)
            probes.append({"who": who, "path": path, "status": response.status_code,
                           "ms": _ms(time.monotonic() - started), "chinese_error_page": "服务器错误" in response.text})
        time.sleep(0.1)
    cluster.start()
    up_at = time.monotonic()

    def answers():
        response = watcher.http.get(web.base_url + "/applications/", timeout=30, allow_redirects=False)
        return response.status_code == 200

    wait_until(answers, 30, interval=0.1, what="the site to answer after PostgreSQL restarted")
    recovery = time.monotonic() - up_at
    for client in clients:
        client.join(70)
    state = _run_seed(env, "verify", round_id)
    return {
        "submitters": submitters, "outage_s": outage, "connect_timeout_s": connect_timeout,
        "probes": probes, "probe_max_ms": max(p["ms"] for p in probes),
        "recovery_ms": _ms(recovery), "clients": results, "state": state,
    }


def _master_lines(web, lines=40):
    """The gunicorn log without its access lines: the master's and the workers' own messages."""
    with contextlib.suppress(OSError):
        text = web.log_path.read_text(errors="replace").splitlines()
        return "\n".join([line for line in text if '" 200 ' not in line and '" 302 ' not in line][-lines:])
    return ""


def _process_states(pid):
    """{child pid: (state, command line)} of ``pid``'s children, from /proc."""
    found = {}
    for child in children_of(pid, living_only=False):
        with contextlib.suppress(OSError):
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            found[child] = (state, command[:120])
    return found


def _serves(base_url, requests_=6):
    """Whether the site answers the login page ``requests_`` times in a row (each within 10 s)."""
    try:
        return all(requests.get(f"{base_url}/accounts/login/", timeout=10).status_code == 200
                   for _ in range(requests_))
    except requests.RequestException:
        return False


MIN_WORKER_AGE = 0.5  # seconds a gunicorn worker has been seen before scenario (d) may kill it at random


def web_workers_killed(lab, *, db_url, media_root, submitters=24, threads=6, workers=3, kill_every=(0.6, 1.0),
                       max_kills=40, submit_delay=0.15, time_limit=90):
    """(d) SIGKILL a gunicorn worker again and again while enterprises submit (and retry).

    Submissions wait ``submit_delay`` inside their transaction, after the receipt number was taken.
    gunicorn runs with --preload. Every other kill picks a worker that is inside such a submission (when
    one is), the rest pick any worker at random. Afterwards every application must be submitted exactly
    once, receipt numbers gap-free."""
    box, marks = lab.dir / "mailbox-web-killed.jsonl", lab.dir / "in-submission"
    marks.mkdir(exist_ok=True)
    env = django_env(DATABASE_URL=db_url, REDIS_URL="", MEDIA_ROOT=media_root, FAULT_MAILBOX=box,
                     FAULT_SUBMIT_DELAY=submit_delay, FAULT_MARKS=marks)
    round_id, people = seed.seed_submitters(submitters)
    # --preload: a replacement worker is a fork of the loaded master (milliseconds), not a fresh import of
    # Django (seconds), so the kills can come quickly without starving the site of workers
    web = lab.add(Gunicorn(free_port(8793), env=env, log_dir=lab.dir, workers=workers, preload=True,
                           log_level="info")).start()  # "Booting worker": what the master did after each kill
    results = {}
    started = time.monotonic()
    clients = _submit_all(web.base_url, people, threads=threads, deadline=started + time_limit, results=results)
    rng = random.Random(7)  # noqa: S311 - choosing a victim, not a secret
    kills = {"random": 0, "in_submission": 0}
    first_seen = {}  # pid -> when this loop first saw it
    while any(c.is_alive() for c in clients) and sum(kills.values()) < max_kills \
            and time.monotonic() - started < time_limit:
        time.sleep(rng.uniform(*kill_every))
        now = time.monotonic()
        # a worker the master has just forked is spared until it has been up a moment, as the out-of-memory
        # killer spares it: killed between the fork and the master's record of its pid, it is reaped as an
        # unknown child and the master goes on counting a worker that is gone (gunicorn's arbiter; a race of
        # the test, not of the platform)
        alive = [pid for pid in web.worker_pids() if now - first_seen.setdefault(pid, now) >= MIN_WORKER_AGE]
        busy = [pid for pid in alive if (marks / str(pid)).exists()]
        targeted = sum(kills.values()) % 2 == 0
        if targeted:  # wait (bounded) for a worker to be inside a submission
            with contextlib.suppress(FaultError):
                busy = wait_until(lambda: [pid for pid in web.worker_pids() if (marks / str(pid)).exists()],
                                  2, interval=0.01, what="a worker inside a submission")
        pool = busy if targeted and busy else alive
        if pool:
            with contextlib.suppress(ProcessLookupError):
                os.kill(rng.choice(pool), signal.SIGKILL)
                kills["in_submission" if targeted and busy else "random"] += 1
    for client in clients:
        client.join(time_limit)
    elapsed = time.monotonic() - started
    # the master replaces a killed worker within moments: count the pool once it had the time (bounded; a
    # loaded machine can take seconds), and keep the master's log when it did not
    with contextlib.suppress(FaultError):
        wait_until(lambda: len(web.worker_pids()) >= workers, 30, what="the gunicorn workers to be back")
    alive_after = len(web.worker_pids())
    serves_after = _serves(web.base_url)
    retries = [r["retries"] for r in results.values()]
    return {
        **({"web_log_tail": _master_lines(web), "children": _process_states(web.pid)}
           if alive_after < workers else {}),
        "submitters": submitters, "kills": kills, "elapsed_s": round(elapsed, 1),
        "outcomes": Counter(r["outcome"] for r in results.values()),
        "retried_requests": sum(retries), "median_retries": statistics.median(retries) if retries else 0,
        "dropped_posts": sum(r["dropped_posts"] for r in results.values()),
        "state": seed.verify(round_id), "workers_alive_after": alive_after, "serves_after": serves_after,
    }
