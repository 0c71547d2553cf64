#!/usr/bin/env python
"""Where a page's server time goes: cProfile around ``client.get`` of the benchmark's pages.

    .venv/bin/python benchmarks/profile_pages.py [PAGE ...]   (default: floor_2fa detail score batch indicator)

Seeds a fresh test database as ``make bench`` does (BENCH_SIZES' first size only, 100 by default), warms each
page up, then profiles PROFILE_REQUESTS (default 30) requests of each page and prints its median time, the
statements of one request with their time, and the functions with the most time of their own and in total
(PROFILE_TOP lines, default 30). The database is chosen as in ``benchmarks/run.py`` and dropped at the end.
"""

import cProfile
import io
import os
import pstats
import sys
import time

from run import WARMUP, bench_pages, connection, logged_in, seed_applications, seed_base  # benchmarks/run.py

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "30"))
TOP = int(os.environ.get("PROFILE_TOP", "30"))
DEFAULT_PAGES = ["floor_2fa", "detail", "score", "batch", "indicator"]


def profile(client, url):
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    profiler, times = cProfile.Profile(), []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        profiler.enable()
        client.get(url)
        profiler.disable()
        times.append((time.perf_counter() - start) * 1000)
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in queries.captured_queries:  # the statements of one request with their time
        out.write(f"{float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(TOP)
    stats.sort_stats("cumulative").print_stats(TOP)
    return sorted(times)[len(times) // 2], out.getvalue()


def main(names):
    from django.db import connections

    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        users = seed_base()
        size = int(os.environ.get("BENCH_SIZES", "100").split(",")[0])
        detail_pk = seed_applications(size, county=users["county"].county)
        clients = {name: logged_in(user) for name, user in users.items()}
        pages = bench_pages(users, clients, detail_pk, size)
        for name in names or DEFAULT_PAGES:
            median, text = profile(*pages[name])
            print(f"===== {name}: median {median:.1f} ms with the profiler on ({REQUESTS} requests)\n{text}")
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(db_name, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1:])
