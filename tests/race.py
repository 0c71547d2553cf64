"""Concurrency tests on PostgreSQL: start several calls at the same moment, each on its own DB connection."""

import threading

from django.db import connections


def race(target, args_list):
    """Start one thread per args tuple, all released together by a barrier; [("ok", result) | ("error", exc)]."""
    barrier = threading.Barrier(len(args_list))
    outcomes = []

    def run(*args):
        try:
            barrier.wait()
            outcomes.append(("ok", target(*args)))
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
            outcomes.append(("error", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes
