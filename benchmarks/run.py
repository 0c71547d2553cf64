#!/usr/bin/env python
"""Benchmark of the platform's pages against a floor page (`make bench`, `make bench-scale`).

The database: BENCH_DATABASE_URL if set, else PostgreSQL on 127.0.0.1:5432 when it answers (zz_bench, created if
missing), else in-memory SQLite (said in the output). A fresh test database is seeded with the demo cycle, 6,000
enterprises and applications up to each of BENCH_SIZES (SQL-generated on PostgreSQL), then, at each size, the server
time (the whole Django request: middleware, view, template) and the SQL statements per request are measured of:

- floor / floor_2fa: one indexed query of 50 rows rendered by a bare template, on the same middleware stack,
  requested by the county user / by the city user (whose every request also checks the second factor);
- the list pages (LIST_PAGES): the county and city lists (also the city list's last page ``?page=last``, its
  deepest page by number from the start, filtered, searched for an enterprise name, a rare two-character word,
  a credit-code prefix and a receipt number), the expert's list, the panel chair's submitted scores, finance's
  list, the audit log (also its last page and filtered), with the rows they found;
- reported without a target: the city's and a county's dashboards, the calls page, the
  evaluation's county figures and the audits page, which count or list every call's applications;
- the detail pages: an application (city), one whose files a fiftieth of all applications hold too (a blank
  template: the page lists the first holders of each), the expert's scoring page, a payment batch (finance
  approver), an evaluation indicator (city).

Requests are interleaved (one of each page in turn) so that machine noise hits every page alike. Then the login
and second-factor POSTs with the deployment's password hashers, and the self-evaluation PDF against WeasyPrint
rendering the same HTML saved as a file.

Targets: every list page of LIST_PAGES and the detail pages at most 8 queries, identical at every size (a
list never more than at the smallest size: one fewer where it is beyond the count's cap, remembered for a minute),
median at most 2x their floor; login and two_factor median at most 150 ms; the report PDF at most 1.5x WeasyPrint alone.
Writes benchmarks/results.json ({"name", "rows", "median_ms", "p95_ms", "queries"} per page and size and a "run"
entry with the engine, seeding times and machine load); exit status 1 when a target is missed.
"""

import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
os.environ.setdefault("MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "zz-bench-media"))
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/zz_bench"


def pick_database():
    """BENCH_DATABASE_URL if set; else PostgreSQL on 127.0.0.1 when it answers (the database is created if
    missing); else in-memory SQLite, said out loud. -> (url, why)"""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"], "BENCH_DATABASE_URL"
    try:
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any failure means: no PostgreSQL here
        return "sqlite:///:memory:", f"FALLBACK: PostgreSQL on 127.0.0.1:5432 not reachable ({exc.__class__.__name__})"
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'zz_bench'")
        if cursor.fetchone() is None:
            cursor.execute("CREATE DATABASE zz_bench")
    conn.close()
    return DEFAULT_POSTGRES, "PostgreSQL reachable on 127.0.0.1:5432"


os.environ["BENCH_DATABASE_URL"], DATABASE_CHOICE = pick_database()

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.seed import last_timings, seed_applications, seed_base  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,10000").split(",")]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "150"))
# per page at 100,000 rows and more: the requests take seconds, the seeding minutes, and 60 steady the medians
LARGE_REQUESTS = int(os.environ.get("BENCH_LARGE_REQUESTS", "60"))
WARMUP = 5
MAX_LIST_QUERIES = 8
MAX_FLOOR_RATIO = 2.0
MAX_LOGIN_MS = 150
LOGIN_REQUESTS = int(os.environ.get("BENCH_LOGIN_REQUESTS", "40"))
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "benchmarks" / "results.json")


def logged_in(user):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if user.requires_two_factor and device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(captured):
    """SQL statements that read or write data (transaction control such as BEGIN/COMMIT is not a query)."""
    return [q for q in captured if not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)]


def measure(pages, requests):
    """pages: {name: (client, url)} -> {name: (median_ms, p95_ms, queries)}."""
    for client, url in pages.values():
        for _ in range(WARMUP):
            assert client.get(url).status_code == 200, url
    times = {name: [] for name in pages}
    gc.collect()
    gc.disable()  # a collection landing in one page's request would be noise, not that page's cost
    try:
        for _ in range(requests):
            for name, (client, url) in pages.items():
                start = time.perf_counter()
                response = client.get(url)
                times[name].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            gc.collect()
    finally:
        gc.enable()
    result = {}
    for name, (client, url) in pages.items():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        result[name] = (*_summary(times[name]), len(statements(ctx.captured_queries)))
    return result


def _summary(samples):
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return round(statistics.median(samples), 2), round(p95, 2)


def measure_login(users, requests):
    """Server time of the password POST and of the second-factor POST, each from a fresh session, with the
    deployment's hashers -> {name: (median_ms, p95_ms, queries)}."""
    from django.conf import settings
    from django.test import override_settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.helpers import current_code
    from zhengzhou_grants.settings.base import PASSWORD_HASHERS

    password = "Bench-Login-2027"  # noqa: S105 - the benchmark's own user
    result = {}
    # the 2FA step's rate limit is still checked (its cost is measured) but set high enough for the run
    limits = {**settings.RATE_LIMITS, "two_factor": (10 ** 6, 900)}
    with override_settings(PASSWORD_HASHERS=PASSWORD_HASHERS, RATE_LIMITS=limits):
        county, city = users["county"], users["city"]
        county.set_password(password)
        county.save(update_fields=["password"])
        device = TOTPDevice.objects.filter(user=city, confirmed=True).first()
        times = {"login": [], "two_factor": []}
        cpu = []
        for i in range(WARMUP + requests):
            client = Client()
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.post("/accounts/login/", {"username": county.username, "password": password})
            elapsed = (time.perf_counter() - start) * 1000
            elapsed_cpu = (time.process_time() - start_cpu) * 1000
            assert response.status_code == 302, response.status_code
            client = Client()
            client.force_login(city)
            TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
            code = current_code(device)
            start = time.perf_counter()
            response = client.post("/accounts/2fa/", {"token": code})
            elapsed_2fa = (time.perf_counter() - start) * 1000
            assert response.status_code == 302, response.status_code
            if i >= WARMUP:
                times["login"].append(elapsed)
                cpu.append(elapsed_cpu)
                times["two_factor"].append(elapsed_2fa)
        for name, samples in times.items():
            result[name] = (*_summary(samples), None)
    # CPU time of this process: what the login costs the server, whatever else the machine is doing
    print(f"login CPU time: median {_summary(cpu)[0]} ms (wall time stretches with the machine's load)")
    return result


def keep_other_entries(results):
    """This run's entries, after those other tools wrote into the same file (e.g. make load's "load:…")."""
    ours = {r["name"] for r in results}
    try:
        earlier = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        earlier = []
    kept = [r for r in earlier if isinstance(r, dict) and r.get("name") not in ours and ":" in str(r.get("name"))]
    return results + kept


# (page, the floor it is compared with): the detail pages must stay within MAX_DETAIL_RATIO of it
DETAIL_PAGES = {"detail": "floor_2fa", "detail_shared": "floor_2fa", "score": "floor", "batch": "floor_2fa",
                "indicator": "floor_2fa"}
LIST_PAGES = {"county_list": "floor", "city_list": "floor_2fa", "city_list_last": "floor_2fa",
              "city_list_deep": "floor_2fa", "city_list_filtered": "floor_2fa", "city_list_search": "floor_2fa",
              "city_list_search_cjk2": "floor_2fa", "city_list_search_code": "floor_2fa",
              "city_list_search_receipt": "floor_2fa", "expert_list": "floor", "chair_scores": "floor",
              "finance_list": "floor_2fa", "audit_log": "floor_2fa", "audit_log_last": "floor_2fa",
              "audit_log_filtered": "floor_2fa"}
MAX_DETAIL_QUERIES = 8
MAX_PDF_RATIO = 1.5


def check(results):
    """The targets, each as (text, met): every list page of LIST_PAGES and every detail page at every size."""
    by = {(r["name"], r["rows"]): r for r in results}
    checks = []
    sizes = sorted({r["rows"] for r in results if r["name"] == "county_list"})
    for name, floor_name in LIST_PAGES.items():
        if not all((name, n) in by for n in sizes):
            continue  # a page this run did not measure
        # never more statements with more rows; one fewer where the list is beyond the count's cap (its count is
        # remembered for a minute: core.paging.capped_count)
        counts = [by[(name, n)]["queries"] for n in sizes]
        checks.append((f"{name}: queries per request {counts} at {sizes}, at most {MAX_LIST_QUERIES} and never more "
                       f"than at {sizes[0]} rows", max(counts) <= MAX_LIST_QUERIES and max(counts) == counts[0]))
        for n in sizes:
            checks.append(_ratio(by, name, floor_name, n, MAX_FLOOR_RATIO))
    for name, floor_name in DETAIL_PAGES.items():
        counts = {by[(name, n)]["queries"] for n in sizes}
        checks.append((f"{name}: queries per request {sorted(counts)} at most {MAX_DETAIL_QUERIES} and identical "
                       f"at {sizes}", max(counts) <= MAX_DETAIL_QUERIES and len(counts) == 1))
        for n in sizes:
            checks.append(_ratio(by, name, floor_name, n, MAX_FLOOR_RATIO))
    for name in ("login", "two_factor"):
        if (name, 0) in by:
            median = by[(name, 0)]["median_ms"]
            checks.append((f"{name}: median {median} ms server time, at most {MAX_LOGIN_MS} ms",
                           median <= MAX_LOGIN_MS))
    if ("report_pdf", 0) in by:
        pdf, static = by[("report_pdf", 0)]["median_ms"], by[("report_pdf_static_html", 0)]["median_ms"]
        checks.append((f"self-evaluation PDF: median {pdf} ms = {pdf / static:.2f}× WeasyPrint on the same HTML saved "
                       f"as a file ({static} ms), at most {MAX_PDF_RATIO}×", pdf / static <= MAX_PDF_RATIO))
    return checks


def _ratio(by, name, floor_name, n, limit):
    page, floor = by[(name, n)]["median_ms"], by[(floor_name, n)]["median_ms"]
    note = "" if floor_name == "floor" else f"; {page / by[('floor', n)]['median_ms']:.2f}× the plain floor"
    return (f"{name} at {n} rows: median {page} ms = {page / floor:.2f}× {floor_name} ({floor} ms){note}, "
            f"at most {limit}×", page / floor <= limit)


def report(results):
    """The list pages at each size: queries and median next to their floor (reported, no target here)."""
    by = {(r["name"], r["rows"]): r for r in results}
    lines = []
    for (name, n), r in sorted(by.items(), key=lambda item: (item[0][1], item[0][0])):
        if name in LIST_PAGES:
            floor = by[(LIST_PAGES[name], n)]["median_ms"]
            lines.append(f"{name} at {n} rows: {r['queries']} queries, median {r['median_ms']} ms = "
                         f"{r['median_ms'] / floor:.2f}× {LIST_PAGES[name]}{r.get('found', '')}")
    return lines


def bench_pages(users, clients, detail_pk, size):
    """{name: (client, url)} of every measured page at this size."""
    from django.db.models import Count

    from accounts.models import Organisation
    from applications.duplicates import INACTIVE
    from applications.models import Application, Attachment
    from benchmarks.seed_sql import RARE_PROJECT, TEMPLATE_SHA256
    from core.paging import COUNT_CAP
    from disbursements.models import PaymentBatch
    from evaluation.models import Indicator
    from reviews.models import Assignment

    county, city, expert, finance, admin = (clients[k] for k in ("county", "city", "expert", "fin_appr", "admin"))
    assignment = Assignment.objects.filter(expert__user=users["expert"], status="confirmed").order_by("pk").first()
    batch = PaymentBatch.objects.annotate(n=Count("payments")).order_by("-n", "pk").first()
    indicator = Indicator.objects.select_related("year").get(year__year=2021, number=1)
    zhongyuan = users["county"].county_id
    code_prefix = Organisation.objects.get(name="郑州基准测试制造0042有限公司").credit_code[:16]  # a few firms
    receipt = Application.objects.get(pk=detail_pk).receipt_no
    template_holders = Attachment.objects.filter(sha256=TEMPLATE_SHA256, is_current=True).values("application_id")
    shared_pk = (Application.objects.filter(pk__in=template_holders, first_submitted_at__isnull=False)
                 .exclude(status__in=INACTIVE).order_by("pk").values_list("pk", flat=True).first())
    return {
        "floor": (county, "/bench/floor/"),
        "floor_2fa": (city, "/bench/floor/"),
        "county_list": (county, "/applications/"),
        "city_list": (city, "/applications/"),
        "city_list_last": (city, "/applications/?page=last"),  # what the pager's 末页 links to
        "city_list_deep": (city, f"/applications/?page={COUNT_CAP // 50}"),  # the deepest page from the start
        "city_list_filtered": (city, f"/applications/?status=qualified&county={zhongyuan}&sort=-amount"),
        "city_list_search": (city, "/applications/?" + urlencode({"q": "基准测试制造0042"})),  # one enterprise
        "city_list_search_cjk2": (city, "/applications/?" + urlencode({"q": RARE_PROJECT[:2]})),  # 8 in a million
        "city_list_search_code": (city, "/applications/?" + urlencode({"q": code_prefix})),
        "city_list_search_receipt": (city, "/applications/?" + urlencode({"q": receipt})),
        "detail": (city, f"/applications/{detail_pk}/"),
        "detail_shared": (city, f"/applications/{shared_pk}/"),
        "score": (expert, f"/reviews/assignments/{assignment.pk}/score/"),
        "batch": (finance, f"/disbursements/batches/{batch.pk}/"),
        "indicator": (city, f"/evaluation/{indicator.year.year}/indicators/{indicator.number}/"),
        "expert_list": (expert, "/reviews/my/"),
        "chair_scores": (expert, "/reviews/chair/scores/"),  # demo_expert chairs the open panel
        "finance_list": (finance, "/disbursements/"),
        "audit_log": (city, "/audit/"),
        "audit_log_last": (city, "/audit/?page=last"),
        "audit_log_filtered": (city, "/audit/?action=application.submit"),
        # reported, no target: pages that count or list every call's applications (the kept counts, paging)
        "dashboard_city": (city, "/dashboard/"),
        "dashboard_county": (county, "/dashboard/"),
        "calls": (city, "/applications/calls/"),
        "evaluation_counties": (city, "/evaluation/counties/"),
        "audits": (city, "/reviews/audits/"),
    }


def found_rows(pages):
    """What each list page says it found: its paginator's count when the view exposes one in its context (read
    with Django's test instrumentation, switched on for this pass only, not while timing) -> {name: text}."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    found = {}
    setup_test_environment()
    try:
        for name, (client, url) in pages.items():
            response = client.get(url)
            page = response.context.get("page") if response.context else None
            count = getattr(getattr(page, "paginator", None), "count", None)
            found[name] = f" (found {count} rows)" if isinstance(count, int) else ""
    finally:
        teardown_test_environment()
    return found


def measure_report_pdf(runs=7):
    """Server time of the self-evaluation PDF (context, HTML, WeasyPrint) next to WeasyPrint rendering the same
    HTML saved as a static file, in the same run -> {name: (median_ms, p95_ms, None)}."""
    from django.utils import translation
    from weasyprint import HTML

    from core.pdf import render_pdf
    from evaluation.models import EvaluationYear
    from evaluation.report import context as report_context
    from evaluation.report.render import REPORT_LANGUAGE, report_html

    year = EvaluationYear.objects.get(year=2021)
    times = {"report_pdf": [], "report_pdf_static_html": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.html"
        for i in range(runs + 1):
            start = time.perf_counter()
            with translation.override(REPORT_LANGUAGE):
                html = report_html(report_context.build(year))
                render_pdf(html)
            elapsed = (time.perf_counter() - start) * 1000
            path.write_text(html, encoding="utf-8")
            start = time.perf_counter()
            HTML(filename=str(path)).write_pdf()
            static = (time.perf_counter() - start) * 1000
            if i:  # the first of each warms WeasyPrint's fonts
                times["report_pdf"].append(elapsed)
                times["report_pdf_static_html"].append(static)
    return {name: (*_summary(samples), None) for name, samples in times.items()}


def main():
    from django.db import connections

    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    engine = connection.vendor
    load = os.getloadavg()
    print(f"Benchmark database: {engine} ({db_name}) -- {DATABASE_CHOICE}; machine load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    results, seeding = [], []
    try:
        started = time.perf_counter()
        users = seed_base()
        print(f"Seeded the demo cycle and 6,000 enterprises in {time.perf_counter() - started:.1f} s")
        clients = {name: logged_in(user) for name, user in users.items()}
        have = 0
        for size in SIZES:
            started = time.perf_counter()
            detail_pk = seed_applications(size - have, county=users["county"].county, offset=have)
            seeded = time.perf_counter() - started
            have = size
            with connection.cursor() as cursor:  # the steady state autovacuum keeps a live database in
                cursor.execute("VACUUM ANALYZE" if engine == "postgresql" else "ANALYZE")
            analysed = time.perf_counter() - started - seeded
            requests = REQUESTS if size < 100_000 else LARGE_REQUESTS
            seeding.append({"rows": size, "added": size - have_before(seeding), "seconds": round(seeded, 1),
                            "analyse_seconds": round(analysed, 1), "phases": last_timings()})
            print(f"Seeded {size} applications in {seeded:.1f} s {last_timings() or ''} (+{analysed:.1f} s VACUUM "
                  f"ANALYZE); measuring {requests} requests per page ...")
            pages = bench_pages(users, clients, detail_pk, size)
            found = found_rows({name: pages[name] for name in LIST_PAGES})
            for name, (median, p95, queries) in measure(pages, requests).items():
                entry = {"name": name, "rows": size, "median_ms": median, "p95_ms": p95, "queries": queries}
                if found.get(name):
                    entry["found"] = found[name]
                results.append(entry)
        print(f"Measuring {LOGIN_REQUESTS} logins and second-factor steps ...")
        for name, (median, p95, _queries) in measure_login(users, LOGIN_REQUESTS).items():
            results.append({"name": name, "rows": 0, "median_ms": median, "p95_ms": p95, "queries": None})
        print("Rendering the self-evaluation PDF ...")
        for name, (median, p95, _queries) in measure_report_pdf().items():
            results.append({"name": name, "rows": 0, "median_ms": median, "p95_ms": p95, "queries": None})
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(db_name, verbosity=0)

    load = os.getloadavg()
    results.append({"name": "run", "rows": max(SIZES), "median_ms": None, "p95_ms": None, "queries": None,
                    "engine": engine, "database_choice": DATABASE_CHOICE, "seeding": seeding,
                    "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "machine_load": [round(x, 2) for x in load], "requests": REQUESTS,
                    "large_requests": LARGE_REQUESTS})
    RESULTS.write_text(json.dumps(keep_other_entries(results), indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    print(f"\n{'page':<20} {'rows':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for r in results:
        if r["name"] != "run":
            print(f"{r['name']:<20} {r['rows']:>8} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f} "
                  f"{r['queries'] or '-':>8}")
    print("\nList pages (reported):")
    for line in report(results):
        print(f"  {line}")
    print("\nTargets:")
    checks = check(results)
    for text, met in checks:
        print(f"  [{'met' if met else 'MISSED'}] {text}")
    print(f"\nMachine load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"Wrote {RESULTS}")
    return 0 if all(met for _text, met in checks) else 1


def have_before(seeding):
    return seeding[-1]["rows"] if seeding else 0


if __name__ == "__main__":
    sys.exit(main())
