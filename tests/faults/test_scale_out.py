"""Scale-out on the real engines: two gunicorn instances (A and B, 2 workers each) and two Celery workers
against one PostgreSQL database and one Redis database, as docker-compose.yml's replicas run them.

Whatever must hold across instances lives in PostgreSQL or Redis, never in a process: the session, the rate
limits (Redis cache), the row locks, the one report job per year, the payout approved once. In CI
(REQUIRE_SERVICES=1) a missing PostgreSQL or Redis fails this test.
"""

import re
import threading
import time
import uuid

import pytest
import requests
from django.db import connection

from benchmarks.faults import seed
from benchmarks.faults.harness import ROOT, Gunicorn, Lab, Worker, django_env, free_port, wait_until
from tests.helpers import redis_db

# one at a time (pytest-xdist): they start servers and time their answers
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("processes"),
              pytest.mark.slow]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HOLD = 1.5  # seconds every submission waits inside its transaction (FAULT_SUBMIT_DELAY)


def compose_scale():
    """{service: replicas} of the scale-out command docker-compose.yml documents (``--scale web=2 ...``)."""
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    return {name: int(count) for name, count in re.findall(r"--scale (\w+)=(\d+)", text)}


@pytest.fixture
def stack(postgres, redis_url, settings, tmp_path):
    """(A, B): two gunicorn instances, plus two Celery workers, on the test database and Redis db 7, started
    together (their start-up overlaps)."""
    assert compose_scale() == {"web": 2, "worker": 2}, "the layout started here is docker-compose.yml's"
    s = connection.settings_dict
    db_url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    redis7 = redis_db(redis_url, 7)
    env = django_env("benchmarks.faults.scaleout_settings", DATABASE_URL=db_url, REDIS_URL=redis7,
                     MEDIA_ROOT=settings.MEDIA_ROOT, FAULT_MAILBOX=tmp_path / "mailbox.jsonl",
                     FAULT_SUBMIT_DELAY=HOLD, CACHE_KEY_PREFIX=f"zz-scale-{uuid.uuid4().hex[:8]}",
                     RATE_LIMIT_PASSWORD_RESET="4/600")
    with Lab(tmp_path / "lab") as lab:
        web_a = Gunicorn(free_port(8811), env=env, log_dir=lab.dir, workers=2, preload=True)
        web_b = Gunicorn(free_port(8812), env=env, log_dir=lab.dir, workers=2, preload=True)
        lab.start(web_a, web_b, *(Worker(f"scale{n}", env=env, log_dir=lab.dir) for n in (1, 2)), ready_timeout=60)
        yield web_a.base_url, web_b.base_url


def _login(http, base, username, password):
    page = http.get(f"{base}/accounts/login/", timeout=20)
    answer = http.post(f"{base}/accounts/login/", timeout=20, allow_redirects=False, data={
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1), "username": username, "password": password})
    assert answer.status_code == 302, answer.status_code
    return answer


def _post_form(http, base, path, fields):
    page = http.get(f"{base}{path}", timeout=20)
    assert page.status_code == 200, (path, page.status_code)
    return http.post(f"{base}{path}", timeout=30, allow_redirects=False,
                     data={"csrfmiddlewaretoken": CSRF.search(page.text).group(1), **fields})


def _at_once(*calls):
    """Run the calls in threads released together; their results in order."""
    results, barrier = [None] * len(calls), threading.Barrier(len(calls))

    def run(i, call):
        barrier.wait()
        started = time.monotonic()
        results[i] = (call(), time.monotonic() - started)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_instances_share_sessions_limits_locks_jobs_and_payouts(stack):
    from accounts.roles import Role
    from applications.models import Application, ApplicationVersion
    from core.models import AuditLog
    from disbursements.models import PaymentBatch
    from disbursements.services import batch_create, batch_submit
    from disbursements.workflow import BatchStatus
    from evaluation.constants import JobStatus
    from evaluation.models import ReportJob
    from tests.factories import disbursements as f
    from tests.factories.accounts import PASSWORD, UserFactory
    from tests.factories.evaluation import year_with_catalogue
    from tests.helpers import current_code, totp_device

    a, b = stack
    round_id, people = seed.seed_submitters(2)

    # 1. a session opened on A works on B
    http = requests.Session()
    _login(http, a, people[0]["username"], people[0]["password"])
    on_b = http.get(f"{b}/applications/", timeout=20, allow_redirects=False)
    assert on_b.status_code == 200, on_b.status_code

    # 2. a rate limit counted across A and B (4 password-reset requests per 10 minutes from one client)
    anonymous = requests.Session()
    codes = [_post_form(anonymous, base, "/accounts/password/reset/", {"email": f"nobody{n}@example.cn"}).status_code
             for n, base in enumerate([a, b, a, b, b])]
    assert codes[:4] == [302] * 4 and codes[4] == 429, codes

    # 3. a row lock held across them: the same draft submitted on A and on B at once is submitted once; the
    # later request waited for the first one's transaction (held HOLD seconds) to end
    app_id = people[1]["app"]
    sessions = [requests.Session(), requests.Session()]
    for s in sessions:
        _login(s, a, people[1]["username"], people[1]["password"])
    pages = [s.get(f"{base}/applications/{app_id}/submit/", timeout=20) for s, base in zip(sessions, (a, b),
                                                                                           strict=True)]
    forms = [{"csrfmiddlewaretoken": CSRF.search(p.text).group(1), "declaration": "on",
              "version": re.search(r'name="version" value="(\d+)"', p.text).group(1)} for p in pages]
    answers = _at_once(*[lambda s=s, base=base, data=data: s.post(
        f"{base}/applications/{app_id}/submit/", data=data, timeout=30, allow_redirects=False)
        for s, base, data in zip(sessions, (a, b), forms, strict=True)])
    assert ApplicationVersion.objects.filter(application_id=app_id).count() == 1
    assert AuditLog.objects.filter(action="application.submit", object_id=str(app_id)).count() == 1
    assert Application.objects.get(pk=app_id).status == "submitted"
    # the first holds its transaction HOLD seconds; the second, on the other instance, waited for its row lock
    # instead of going ahead (both answers come after about HOLD seconds)
    assert min(elapsed for _r, elapsed in answers) >= HOLD * 0.6, answers
    assert all(r.status_code in (200, 302) for r, _e in answers), [r.status_code for r, _e in answers]
    assert seed.verify(round_id)["problems"] == []

    # 4. two report jobs for the same year requested on A and on B at once: one job is built, the other
    # request joins it (the year's row lock in report_request), and one of the two workers runs it
    year_with_catalogue(2021)
    official = requests.Session()
    official_user = UserFactory.for_role(Role.OFFICIAL)
    _login(official, a, official_user.username, PASSWORD)
    page = official.get(f"{a}/evaluation/2021/report/", timeout=20)
    token = CSRF.search(page.text).group(1)
    jobs = _at_once(*[lambda base=base: official.post(f"{base}/evaluation/2021/report/generate/", timeout=30,
                                                     data={"csrfmiddlewaretoken": token}, allow_redirects=False)
                      for base in (a, b)])
    assert [r.status_code for r, _e in jobs] == [302, 302]
    assert jobs[0][0].headers["Location"] == jobs[1][0].headers["Location"]
    assert ReportJob.objects.count() == 1
    job = wait_until(lambda: ReportJob.objects.filter(status__in=[JobStatus.DONE, JobStatus.FAILED]).first(), 90,
                     interval=0.1, what="the report job to finish")
    assert job.status == JobStatus.DONE, job.error
    assert AuditLog.objects.filter(action="evaluation.report_request").count() == 1

    # 5. a payout approved on A and on B at once (two tabs of the approver) is approved once
    prep, appr = f.preparer(), f.approver()
    device = totp_device(appr)
    batch = batch_create(actor=prep, commitments=[f.commitment("1000.00")])
    batch_submit(actor=prep, batch=batch)
    finance = requests.Session()
    _login(finance, a, appr.username, PASSWORD)
    assert _post_form(finance, a, "/accounts/2fa/", {"token": current_code(device)}).status_code == 302
    url = f"/disbursements/batches/{batch.pk}/"
    tabs = []
    for base in (a, b):
        html = finance.get(f"{base}{url}", timeout=20).text
        form = re.search(r'action="[^"]*/approve/".*?</form>', html, re.S).group(0)
        tabs.append((base, {"csrfmiddlewaretoken": CSRF.search(form).group(1),
                            **dict(re.findall(r'type="hidden" name="(idempotency_key|version)" value="([^"]+)"',
                                              form))}))
    assert tabs[0][1]["idempotency_key"] != tabs[1][1]["idempotency_key"]
    _at_once(*[lambda base=base, data=data: finance.post(f"{base}{url}approve/", data=data, timeout=30,
                                                        allow_redirects=False) for base, data in tabs])
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.APPROVED
    assert AuditLog.objects.filter(action="payment.approve").count() == 1
    assert AuditLog.objects.filter(action="batch.approve").count() == 1
