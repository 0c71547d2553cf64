"""Fault injection against the real services (Celery worker, Redis, PostgreSQL, gunicorn).

The machinery lives here so that the short pytest form (tests/faults/) and the longer script
(benchmarks/faults/run.py) run the very same scenarios, only with different sizes.
"""
