"""The demo's routine acceptances. Every paid project that ``aftercare.demo`` does not tell a story about, and
whose completion deadline fell before the end of the demo's history, reported on time, was inspected by its
county and accepted by the city. They are written in bulk with their dated audit rows (no events are sent, as for
the applications' history), so that the acceptance lists and the per-county comparison read as a real
programme's would. The stories (rectifications, the clawback) go through the services in ``aftercare.demo``.
Idempotent: projects that already have an acceptance are left alone.
"""

import datetime

from accounts.models import User
from accounts.roles import Role
from applications.demo_years import HISTORY_END
from core.audit import audit_entry, yuan
from core.models import AuditLog
from disbursements.demo import at

from .models import Acceptance
from .selectors import completion_due, funded_projects_of_call
from .workflow import AUDIT_ACTIONS, Action, Recommendation, Status

DAY = datetime.timedelta(days=1)
FINDINGS = "设备已安装调试并投入生产，发票与设备清单相符，项目按申报内容建成。"
INSPECTORS = "县区工信局验收组"
EQUIPMENT = "主要生产设备 {n} 台（套）\n配套检测设备 2 台\n生产管理系统 1 套"


def seed(calls, city, stdout=None):
    """Accept on time the paid projects of ``calls`` without an acceptance whose decision falls before the
    demo's history ends. Returns how many were accepted."""
    last_day = HISTORY_END.date() - DAY
    firms = {u.organisation_id: u for u in User.objects.filter(role=Role.ENTERPRISE, is_active=True).order_by("-id")}
    counties = {u.county_id: u for u in User.objects.filter(role=Role.COUNTY, is_active=True).order_by("-id")}
    rows, steps = [], []
    for call in calls:
        projects = (funded_projects_of_call(call).filter(acceptance__isnull=True, county__isnull=False)
                    .select_related("payee", "county", "application").order_by("id"))
        for project in projects:
            due = completion_due(project)
            submitted, visited, decided = due - 40 * DAY, due - 26 * DAY, due - 12 * DAY
            if decided > last_day:
                continue
            investment = project.application.eligible_investment or project.approved_amount * 5
            firm, county = firms.get(project.payee_id), counties.get(project.county_id)
            acceptance = Acceptance(
                commitment=project, application=project.application, status=Status.ACCEPTED, version=4,
                completion_due=due, actual_investment=investment, invoice_amount=investment,
                equipment_list=EQUIPMENT.format(n=4 + project.pk % 9), submitted_at=at(submitted), submitted_by=firm,
                visit_date=visited, inspectors=INSPECTORS, findings=FINDINGS, recommendation=Recommendation.PASS,
                inspected_by=county, decided_by=city, decided_at=at(decided, 11), created_at=at(submitted))
            rows.append(acceptance)
            steps.append((acceptance, firm, project.payee.name, county, f"{project.county.name}工信局",
                          submitted, visited, decided, investment))
    Acceptance.objects.bulk_create(rows, batch_size=500)
    AuditLog.objects.bulk_create(_history(steps, city), batch_size=500)
    if stdout and rows:
        stdout.write(f"aftercare: {len(rows)} other projects reported, inspected and accepted on time")
    return len(rows)


def _history(steps, city):
    passed = str(Recommendation.PASS.label)
    for acceptance, firm, firm_name, county, county_name, submitted, visited, decided, investment in steps:
        def row(when, action, source, target, who, name, note="", data=None, acceptance=acceptance):
            return audit_entry(created_at=when, actor=who, actor_name=name, obj=acceptance,
                               action=AUDIT_ACTIONS[action], from_state=source, to_state=target, note=note, data=data)

        yield row(at(submitted), Action.SUBMIT, Status.OPEN, Status.SUBMITTED, firm, firm_name, data={
            "actual_investment_yuan": yuan(investment), "invoice_yuan": yuan(investment), "files": 0})
        yield row(at(visited, 15), Action.INSPECT, Status.SUBMITTED, Status.INSPECTED, county, county_name,
                  note=FINDINGS, data={"visit_date": visited.isoformat(), "inspectors": INSPECTORS,
                                       "recommendation": passed, "photos": 0})
        yield row(at(decided, 11), Action.ACCEPT, Status.INSPECTED, Status.ACCEPTED, city, "")

