#!/usr/bin/env python
"""The background exports at scale (`make bench-exports`): time and peak memory of each export job against
raw openpyxl writing the same cells.

    .venv/bin/python benchmarks/exports.py            (EXPORT_ROWS applications, EXPORT_PAYMENTS payments,
                                                        default 100,000 each)

A PostgreSQL database ``zz_scale_exports`` (EXPORT_DATABASE_URL overrides) is migrated and seeded once as
``make bench`` does (demo cycle, 6,000 enterprises, EXPORT_ROWS applications, kept between runs). Then, each in
a fresh Python process so that the peak memory is the job's own:

- ``applications``: the city user's export of every application (the job the list's export button starts);
- ``payments``: the finance approver's export of every payment (the demo cycle's and EXPORT_PAYMENTS copies of
  them, ``seed_sql.seed_payments``);
- ``raw:<name>``: the cells of that job's file, read back first (not timed), written again with openpyxl's
  write-only workbook and nothing else (no styles, no widths, no type handling): the floor of any XLSX writer.

The job's time is its server time (``core.jobs.execute``: queries, rows, the workbook, the file saved); its peak
memory is the process's peak resident size (VmHWM: Django, the code and the job) and its growth over the
process's size just before the job. Targets: each export at most 1.5x raw openpyxl on the same cells; peak
memory at most 200 MB. Writes the ``"export:…"`` entries of benchmarks/results.json (others kept).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
os.environ.setdefault("MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "zz-bench-media"))
DATABASE = os.environ.get("EXPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zz_scale_exports")
os.environ["BENCH_DATABASE_URL"] = DATABASE
ROWS = int(os.environ.get("EXPORT_ROWS", "100000"))
PAYMENTS = int(os.environ.get("EXPORT_PAYMENTS", "100000"))
RESULTS = ROOT / "benchmarks" / "results.json"
MAX_RATIO = 1.5
MAX_PEAK_MB = 200
JOBS = {"applications": ("demo_city", "applications/export"), "payments": ("demo_fin_appr",
                                                                           "disbursements/payments_export")}


def prepare():
    """Create, migrate and seed the database unless it already holds EXPORT_ROWS benchmark applications."""
    import psycopg2

    name = DATABASE.rsplit("/", 1)[1]
    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    import django
    from django.core.management import call_command

    django.setup()
    from applications.models import Application

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django.db import connection

    from benchmarks.seed import seed_applications, seed_base
    from benchmarks.seed_sql import seed_payments
    from disbursements.models import Payment

    have = Application.objects.filter(project_name__startswith="智能化生产线改造项目").count()
    if have and have < ROWS:
        raise SystemExit(f"{name} holds {have} benchmark applications, not {ROWS}: drop it and run again")
    if not have:
        users = seed_base()
        seed_applications(ROWS, county=users["county"].county)
    payments = Payment.objects.filter(reference__startswith="BENCH-").count()
    if payments and payments < PAYMENTS:
        raise SystemExit(f"{name} holds {payments} benchmark payments, not {PAYMENTS}: drop it and run again")
    if not payments:
        seed_payments(PAYMENTS)
    if not (have and payments):
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def run_job(name):
    """(in its own process) One export job as the worker runs it -> its figures."""
    import django

    django.setup()
    from accounts.models import User
    from core.jobs import execute, memory_kb
    from core.models import Job

    username, kind = JOBS[name]
    job = Job.objects.create(owner=User.objects.get(username=username), kind=kind, params={"query": ""})
    before = memory_kb("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    job = execute(Job, job.pk)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert job.status == "done", (job.status, job.error)
    peak = memory_kb("VmHWM")
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "rows": job.rows,
            "peak_mb": round(peak / 1024, 1),
            "growth_mb": round((peak - before) / 1024, 1), "file": job.file.path}


def run_raw(path):
    """(in its own process) The cells of ``path`` written again with openpyxl write-only, nothing else."""
    from openpyxl import Workbook, load_workbook

    source = load_workbook(path, read_only=True)
    sheets = [(sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]) for sheet in source]
    source.close()
    started, cpu = time.perf_counter(), time.process_time()
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
    return {"seconds": round(time.perf_counter() - started, 2), "cpu_seconds": round(time.process_time() - cpu, 2),
            "cells": sum(len(r) for _t, rs in sheets for r in rs)}


def child(*args):
    output = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    load = os.getloadavg()
    print(f"Export benchmark on {DATABASE.rsplit('/', 1)[1]}; machine load average {load[0]:.1f} {load[1]:.1f}")
    started = time.perf_counter()
    prepare()
    print(f"Database ready in {time.perf_counter() - started:.1f} s")
    results, checks = [], []
    for name in JOBS:
        job = child("job", name)
        raw = child("raw", job.pop("file"))
        ratio = job["seconds"] / raw["seconds"]
        results.append({"name": f"export:{name}", "rows": job["rows"], "median_ms": round(job["seconds"] * 1000),
                        "p95_ms": None, "queries": None, **job, "cells": raw["cells"],
                        "raw_openpyxl_seconds": raw["seconds"], "ratio_to_raw": round(ratio, 2),
                        "raw_openpyxl_cpu_seconds": raw["cpu_seconds"],
                        "cpu_ratio_to_raw": round(job["cpu_seconds"] / raw["cpu_seconds"], 2)})
        checks.append((f"export {name}: {job['rows']} rows, {job['seconds']} s = {ratio:.2f}× raw openpyxl on the "
                       f"same {raw['cells']} cells ({raw['seconds']} s), at most {MAX_RATIO}× (CPU time of this "
                       f"process: {job['cpu_seconds']} s against {raw['cpu_seconds']} s)", ratio <= MAX_RATIO))
        checks.append((f"export {name}: peak memory {job['peak_mb']} MB (the job's process; +{job['growth_mb']} MB "
                       f"during the job), at most {MAX_PEAK_MB} MB", job["peak_mb"] <= MAX_PEAK_MB))
    load = os.getloadavg()
    at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for entry in results:
        entry.update(at=at, machine_load=[round(x, 2) for x in load])
    try:
        earlier = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        earlier = []
    ours = {r["name"] for r in results}
    RESULTS.write_text(json.dumps([r for r in earlier if r.get("name") not in ours] + results, indent=2,
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    for text, met in checks:
        print(f"  [{'met' if met else 'MISSED'}] {text}")
    print(f"Machine load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    return 0 if all(met for _t, met in checks) else 1


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "job":
        print(json.dumps(run_job(sys.argv[2])))
    elif len(sys.argv) > 2 and sys.argv[1] == "raw":
        print(json.dumps(run_raw(sys.argv[2])))
    else:
        sys.exit(main())
