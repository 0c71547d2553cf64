#!/usr/bin/env python
"""Throughput of the city list next to the floor page (`make bench-throughput`).

gunicorn with 2 sync workers (the load settings: PostgreSQL `zz_load`, seeded once by `make load`'s seeding,
Redis db 7, real password hashing, DEBUG off, plus the floor page), and a small client of its own: 10 threads,
each with a keep-alive connection and the city user's session (password and second factor done once), request
one page as fast as the server answers for THROUGHPUT_SECONDS (default 20) — first the floor page, then the city
list, then the floor again (the floor's figure is the mean of its two phases, so a change of machine load during
the run hits both alike). Counts requests per second and errors (anything but HTTP 200).

Target: city list ≥ 50 % of the floor's requests per second, 0 errors. Writes `"throughput:floor"` and
`"throughput:city_list"` entries into benchmarks/results.json (the other entries are kept).
"""

import json
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.faults.harness import Gunicorn, Lab, django_env, free_port  # noqa: E402
from benchmarks.load.run import DATABASE_URL, REDIS_URL, SETTINGS, prepare  # noqa: E402

SECONDS = float(os.environ.get("THROUGHPUT_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("THROUGHPUT_CONNECTIONS", "10"))
WORKERS = 2
MIN_RATIO = 0.5
RESULTS = ROOT / "benchmarks" / "results.json"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(hex_key):
    """The current RFC 6238 code of a TOTP key (what django-otp checks)."""
    from django_otp.oath import totp as oath

    return str(oath(bytes.fromhex(hex_key))).zfill(6)


def city_session(base, fixtures):
    import requests

    http = requests.Session()
    page = http.get(f"{base}/accounts/login/", timeout=30)
    answer = http.post(f"{base}/accounts/login/", allow_redirects=False, timeout=60, data={
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1), "username": "demo_city",
        "password": fixtures["password"]})
    assert answer.status_code == 302, answer.status_code
    page = http.get(f"{base}/accounts/2fa/", timeout=30)
    answer = http.post(f"{base}/accounts/2fa/", allow_redirects=False, timeout=30, data={
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1), "token": totp(fixtures["city_totp_key"])})
    assert answer.status_code == 302, answer.status_code
    return http.cookies


def hammer(url, cookies, seconds, connections):
    """-> (requests per second, errors, requests)"""
    import requests

    counts, errors, stop = [0] * connections, [0] * connections, time.monotonic() + seconds

    def run(i):
        http = requests.Session()
        http.cookies.update(cookies)
        while time.monotonic() < stop:
            try:
                ok = http.get(url, timeout=30, allow_redirects=False).status_code == 200
            except requests.RequestException:
                ok = False
            counts[i] += 1
            errors[i] += not ok

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    elapsed = time.monotonic() - started
    return sum(counts) / elapsed, sum(errors), sum(counts)


def main():
    with tempfile.TemporaryDirectory(prefix="zz_tp-") as work, Lab(work) as lab:
        env = django_env(settings=SETTINGS, DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL,
                         MEDIA_ROOT=Path(work) / "media")
        fixtures = prepare(work, env)
        web = lab.add(Gunicorn(free_port(8795), env=env, log_dir=lab.dir, workers=WORKERS, timeout=60)).start()
        cookies = city_session(web.base_url, fixtures)
        floor, city = f"{web.base_url}/bench/floor/", f"{web.base_url}/applications/"
        hammer(floor, cookies, 3, CONNECTIONS)  # warm both workers
        hammer(city, cookies, 3, CONNECTIONS)
        load_before = os.getloadavg()[0]
        print(f"{CONNECTIONS} connections, {SECONDS:.0f} s per phase, gunicorn {WORKERS} sync workers, "
              f"{fixtures['applications']} applications ...", flush=True)
        first = hammer(floor, cookies, SECONDS, CONNECTIONS)
        middle = hammer(city, cookies, SECONDS, CONNECTIONS)
        last = hammer(floor, cookies, SECONDS, CONNECTIONS)
    floor_rps = (first[0] + last[0]) / 2
    ratio = middle[0] / floor_rps
    errors = first[1] + middle[1] + last[1]
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"floor: {first[0]:.1f} and {last[0]:.1f} req/s; city list: {middle[0]:.1f} req/s = {ratio:.0%} of the "
          f"floor; errors {errors}; machine load average {load_before:.1f} -> {load[0]:.1f}")
    at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    common = {"rows": fixtures["applications"], "median_ms": None, "p95_ms": None, "queries": None,
              "connections": CONNECTIONS, "gunicorn_workers": WORKERS, "seconds": SECONDS, "at": at,
              "machine_load": load, "tool": "benchmarks/throughput.py (threads + requests)"}
    entries = [{"name": "throughput:floor", "rps": round(floor_rps, 1), "errors": first[1] + last[1],
                "requests": first[2] + last[2], **common},
               {"name": "throughput:city_list", "rps": round(middle[0], 1), "errors": middle[1],
                "requests": middle[2], "ratio_to_floor": round(ratio, 2), **common}]
    try:
        earlier = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        earlier = []
    names = {e["name"] for e in entries}
    RESULTS.write_text(json.dumps([r for r in earlier if r.get("name") not in names] + entries, indent=2,
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    met = ratio >= MIN_RATIO and errors == 0
    print(f"[{'met' if met else 'MISSED'}] city list ≥ {MIN_RATIO:.0%} of the floor's requests per second, 0 errors")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
