"""Demo data for the money of each demo year (``applications.demo_years``; idempotent per year), from its ``Plan``.

- the year's budget as dated entries: 2021 original 58000万元 (2021-01-20), no adjustment, funds received in
  three instalments (20000 + 20000 + 18000 = 58000万元, 到位率 100%); 2022 original 60000万元 received in two
  instalments; due-date rule: 180 days after approval;
- the year's diagnosis-service programme: a provider chosen by tender (January; 2021: 600万元 for 12 target
  enterprises, 2022: 480万元 for 10 others), reports March-July, completion in September, acceptance in October,
  the fee paid through the ordinary payment path on 30 November;
- a commitment for every application of the year listed in the budget (or paid) that has none yet (the reviews
  demo normally creates them when finance approves the support list), approved on 28 December of the call;
- payments through the real services (batches prepared by demo_fin_prep, approved by demo_fin_appr, sent,
  booked paid) until the year's paid total is exactly the plan's (2021: 52013万元 in five batches, March-November;
  2022: 57046万元 in three, March-September); the rest stays committed and unpaid, so that the browser flow can
  still be tried (if the budget-listed applications cannot reach the amount, all but the last 10 commitments are
  paid and the gap is reported);
- in 2021 one payment (the demo enterprise's, else the first one whose enterprise has a user) fails at the bank
  (收款账户已销户); four days later the enterprise corrects its bank account, the county bureau verifies the
  change three days after that, and a new attempt is paid in its own run 26 days after the failure: the failure
  stays on record and the paid total is unchanged.

Each step runs inside ``core.clock.at`` the day it happened, so its audit rows and notifications carry the
cycle's dates (January to November of the fund year).
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.selectors import pending_bank_change
from accounts.services.bank_accounts import bank_change_approve
from accounts.services.enterprises import enterprise_update_profile
from accounts.validators import make_credit_code
from applications.demo_years import YEARS
from applications.models import Application, Round
from applications.workflow import Status as AppStatus
from core import clock

from .figures import budget_figures
from .models import BudgetEntry, Commitment, DiagnosisProgramme, Payment, PaymentBatch, PaymentRule
from .selectors import with_totals
from .services import (
    batch_approve,
    batch_create,
    batch_send,
    batch_submit,
    commitment_create_for_application,
    contract_accept,
    contract_complete,
    payment_rule_set,
    programme_create,
    report_upload,
    target_add,
    tender_record,
)
from .services.batches import close_if_done
from .services.payments import payment_mark_failed, payment_mark_paid, payment_retry
from .workflow import FailureReason

TZ = ZoneInfo("Asia/Shanghai")
WAN = Decimal(10000)


@dataclass(frozen=True)
class Plan:
    """What a fund year's money does: the amount paid by the end of the year, the instalments received and the
    bank runs (each (month, day) of the fund year), the diagnosis-service fee and how many enterprises it serves."""

    paid: Decimal
    received: tuple  # (万元, (month, day), note)
    runs: tuple  # ((month, day), share of the year's payable total in that run; 1: the rest)
    diagnosis_fee: Decimal
    diagnosis_targets: int


PLANS = {
    2021: Plan(paid=Decimal("52013") * WAN, diagnosis_fee=Decimal("600") * WAN, diagnosis_targets=12, received=(
        (20000, (3, 31), "第一批资金到位"), (20000, (6, 30), "第二批资金到位"), (18000, (9, 30), "第三批资金到位")),
        runs=(((3, 25), "0.30"), ((5, 20), "0.25"), ((6, 18), "0.20"), ((9, 15), "0.15"), ((11, 25), "1"))),
    2022: Plan(paid=Decimal("57046") * WAN, diagnosis_fee=Decimal("480") * WAN, diagnosis_targets=10, received=(
        (30000, (3, 18), "第一批资金到位"), (30000, (8, 26), "第二批资金到位")),
        runs=(((3, 30), "0.45"), ((6, 17), "0.45"), ((9, 23), "1"))),
}
RESERVED = 10
# The payment that fails in the first run, the enterprise's corrected account and the new attempt's run.
FAILED_REASON = "收款账户已销户"
CORRECTED_ACCOUNT = "410501002345000%05d"
CHANGE_REQUESTED, CHANGE_VERIFIED, RETRY_RUN = (datetime.timedelta(days=d) for d in (4, 7, 26))


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def on(day, hour=10):
    return clock.at(at(day, hour))


def demo_pdf(label):
    return (b"%PDF-1.4\n% " + label.encode() + b"\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R"
            b"/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def seed(stdout=None):
    users = {u.username: u for u in User.objects.filter(
        username__in=["demo_fin_prep", "demo_fin_appr", "demo_city"])}
    if len(users) < 3:
        if stdout:
            stdout.write("disbursements: demo users missing (run accounts.demo first); skipped")
        return
    for profile in YEARS.values():
        if Round.objects.filter(year=profile.year).exists():
            _seed_year(profile, PLANS[profile.year], users, stdout)


def _seed_year(profile, plan, users, stdout):
    started = timezone.now()
    prep, appr, city = users["demo_fin_prep"], users["demo_fin_appr"], users["demo_city"]
    with transaction.atomic(), on(profile.date(0, 1, 20)):
        _budget(appr, profile, plan)
        contract = _diagnosis(city, profile, plan)
        made = _commitments(appr, profile)
    paid_runs = _payments(prep, appr, contract, profile, plan)
    figures = budget_figures(profile.year)
    if stdout:
        seconds = (timezone.now() - started).total_seconds()
        gap = plan.paid - figures.paid
        stdout.write(
            f"disbursements: {profile.year} budget {figures.adjusted / WAN:.2f}万元, "
            f"committed {figures.committed / WAN:.2f}万元, paid {figures.paid / WAN:.2f}万元 "
            f"({made} new commitments, {paid_runs} bank runs)"
            + (f"; {gap / WAN:.2f}万元 short of {plan.paid / WAN:.0f}万元: not enough budget-listed "
               f"{profile.year} applications" if gap else "")
            + f" ({seconds:.1f} s)")


def _budget(actor, profile, plan):
    year = profile.year
    entries = [(BudgetEntry.Kind.ORIGINAL, profile.budget_wan, (1, 20), f"{year}年度部门预算批复（年初预算）"),
               *((BudgetEntry.Kind.RECEIVED, wan, day, note) for wan, day, note in plan.received)]
    for kind, wan, (month, day), note in entries:
        BudgetEntry.objects.get_or_create(fund_year=year, kind=kind, date=profile.date(0, month, day), note=note,
                                          defaults={"amount": Decimal(wan) * WAN, "created_by": actor})
    if not PaymentRule.objects.filter(fund_year=year).exists():  # also recomputes the due dates made so far
        payment_rule_set(actor=actor, fund_year=year, days=180, note="资金在预算批复后180日内拨付")


def _diagnosis(city, profile, plan):
    year = profile.year
    programme = DiagnosisProgramme.objects.filter(year=year).first()
    if programme is not None:
        return programme.contracts.first()
    with on(profile.date(0, 1, 8)):
        programme = programme_create(actor=city, year=year, title=f"{year}年度郑州市智能化诊断服务")
    provider = Organisation.objects.filter(kind=OrganisationKind.SOLUTION_PROVIDER).order_by("id").first()
    if provider is None:
        provider = Organisation.objects.create(kind=OrganisationKind.SOLUTION_PROVIDER,
                                               name="郑州智造系统解决方案有限公司（示例）")
    if not provider.bank_account_no:
        provider.credit_code = provider.credit_code or make_credit_code("91410100MA45XK0D7")
        provider.bank_account_name = provider.bank_account_name or provider.name
        provider.bank_name = "中国银行郑州金水支行"
        provider.bank_account_no = "246012345678901234"
        provider.save()
    with on(profile.date(0, 1, 26)):
        contract = tender_record(actor=city, programme=programme, provider=provider,
                                 tender_date=profile.date(0, 1, 18), contract_amount=plan.diagnosis_fee,
                                 notice_no=f"ZZGX-{year}-ZD-001", contract_no=f"ZZGX-HT-{year}-07",
                                 signed_on=profile.date(0, 1, 26), notes="公开招标，综合评分第一名中标")
    skip = sum(p.diagnosis_targets for y, p in PLANS.items() if y < year)  # other enterprises each year
    enterprises = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).order_by("credit_code")[
        skip:skip + plan.diagnosis_targets]
    for index, enterprise in enumerate(enterprises):
        with on(profile.date(0, 2, 3 + index)):
            target = target_add(actor=city, contract=contract, enterprise=enterprise,
                                selected_on=profile.date(0, 2, 3 + index))
        received = profile.date(0, 3 + index % 5, 10 + index)
        with on(received, 15):
            report_upload(actor=city, target=target, received_on=received,
                          upload=SimpleUploadedFile(f"{enterprise.name}诊断报告.pdf", demo_pdf(f"diag-{year}-{index}"),
                                                    content_type="application/pdf"))
    with on(profile.date(0, 9, 24)):
        contract_complete(actor=city, contract=contract, completed_on=profile.date(0, 9, 24))
    with on(profile.date(0, 10, 22)):
        contract_accept(actor=city, contract=contract, result="passed", accepted_on=profile.date(0, 10, 22),
                        notes="诊断报告齐全，问题识别准确，改造建议可行，验收合格。")
    return contract


def _commitments(actor, profile):
    """Commitments for the year's applications listed in the budget that have none yet."""
    approved_at = profile.at(-1, 12, 28, 10)
    made = 0
    apps = Application.objects.filter(round__year=profile.year, status__in=[AppStatus.BUDGET_LISTED, AppStatus.PAID],
                                      commitment__isnull=True).select_related("round", "category__award_rule")
    for app in apps.order_by("id"):
        rule = getattr(app.category, "award_rule", None)
        amount = rule.compute(app) if rule else (app.requested_amount or Decimal("0"))
        amount = min(amount, app.requested_amount or amount)
        if amount > 0:
            with clock.at(approved_at):
                commitment_create_for_application(actor=actor, application=app, amount=amount,
                                                  approved_at=approved_at)
            made += 1
    return made


def _payments(prep, appr, contract, profile, plan):
    """Pay the year's commitments through batches until its paid total is exactly ``plan.paid``."""
    year = profile.year
    runs = 0
    fee = Commitment.objects.filter(contract=contract).first() if contract else None
    if fee is not None and not fee.payments.exists():
        _run(prep, appr, [(fee, fee.approved_amount)], profile.date(0, 11, 30))
        runs += 1
    if Payment.objects.filter(commitment__fund_year=year, commitment__application__isnull=False).exists():
        return runs
    paid = budget_figures(year).paid
    still = plan.paid - paid
    open_ones = list(with_totals(Commitment.objects.filter(fund_year=year, application__isnull=False))
                     .select_related("payee").order_by("due_date", "id"))
    if sum((c.approved_amount - c.scheduled for c in open_ones), Decimal("0")) <= still:
        # the target cannot be met: keep a few unpaid to try the browser flow
        open_ones = open_ones[:len(open_ones) - min(RESERVED, len(open_ones) // 4)]
    plan_items = []
    for commitment in open_ones:
        free = commitment.approved_amount - commitment.scheduled
        if still <= 0:
            break
        if free <= 0 or not commitment.payee.bank_account_no:
            continue
        amount = min(free, still)
        plan_items.append((commitment, amount))
        still -= amount
    total = sum((a for _c, a in plan_items), Decimal("0"))
    failing = _failing(plan_items) if profile.stories else None
    start = 0
    for (month, day_of_month), share in plan.runs:
        day, share = profile.date(0, month, day_of_month), Decimal(share)
        if start >= len(plan_items):
            break
        wanted, chunk = total * share, []
        while start < len(plan_items) and (share == 1 or sum((a for _c, a in chunk), Decimal("0")) < wanted):
            chunk.append(plan_items[start])
            start += 1
        failed = _run(prep, appr, chunk, day, fail=failing)
        runs += 1
        if failed is not None and _correct_account(failed, day):
            _run(prep, appr, [], day + RETRY_RUN, retries=[failed])
            runs += 1
    return runs


def _enterprise_user(organisation):
    return User.objects.filter(organisation=organisation, role=Role.ENTERPRISE, is_active=True).order_by("pk").first()


def _failing(plan):
    """The commitment whose payment fails: the demo enterprise's, else the first one whose enterprise has a user
    who can correct the account."""
    candidates = [c for c, _a in plan if _enterprise_user(c.payee) is not None]
    demo = [c for c in candidates if User.objects.filter(username="demo_enterprise", organisation=c.payee).exists()]
    return (demo or candidates or [None])[0]


def _correct_account(failed, failed_on):
    """The enterprise enters its new account; the county bureau (else the city) verifies it."""
    payee = Organisation.objects.get(pk=failed.commitment.payee_id)
    requester = _enterprise_user(payee)
    verifier = (User.objects.filter(role=Role.COUNTY, county_id=payee.county_id, is_active=True).order_by("pk").first()
                or User.objects.filter(username="demo_city").first())
    if requester is None or verifier is None:
        return False
    with clock.at(at(failed_on + CHANGE_REQUESTED, 9)):
        enterprise_update_profile(actor=requester, org=payee, expected_version=payee.version,
                                  bank_account_no=CORRECTED_ACCOUNT % payee.pk)
    with clock.at(at(failed_on + CHANGE_VERIFIED, 15)):
        bank_change_approve(actor=verifier, change=pending_bank_change(payee),
                            reason="已核对新开户许可证及开户银行证明")
    return True


def _run(prep, appr, items, value_date, fail=None, retries=()):
    """One bank run through the services (four eyes, bank file), then booked paid as of ``value_date``; the
    payment of commitment ``fail`` is booked failed instead (returned). ``retries``: failed payments paid again
    in this run as new attempts."""
    from .services import payment_prepare

    prepared, approved, sent = (at(value_date - datetime.timedelta(days=d)) for d in (6, 4, 3))
    failed = None
    with transaction.atomic():
        with clock.at(prepared):
            payments = [payment_prepare(actor=prep, commitment=c, amount=a) for c, a in items]
            payments += [payment_retry(actor=prep, payment=p) for p in retries]
            batch = batch_create(actor=prep, payments=payments, note=f"{value_date:%Y年%m月}集中拨付")
        # backdated before it is sent, so that the stored bank file (number, file name, time) and the
        # notifications name the batch as its page does
        batch.reference = f"PC{prepared:%Y%m%d}-{batch.pk:04d}"
        PaymentBatch.objects.filter(pk=batch.pk).update(reference=batch.reference, created_at=prepared)
        with clock.at(prepared):
            batch_submit(actor=prep, batch=batch)
        with clock.at(approved):
            batch_approve(actor=appr, batch=batch)
        with clock.at(sent):
            batch_send(actor=prep, batch=batch, sent_at=sent)
        with on(value_date, 16):
            for payment in Payment.objects.filter(batch=batch).order_by("pk"):
                if fail is not None and payment.commitment_id == fail.pk:
                    failed = payment_mark_failed(actor=prep, payment=payment, code=FailureReason.ACCOUNT_CLOSED,
                                                 reason=FAILED_REASON, failed_on=value_date)
                    continue
                digest = hashlib.sha256(f"{payment.reference}".encode()).hexdigest()[:10].upper()
                payment_mark_paid(actor=prep, payment=payment, paid_on=value_date, bank_reference=f"ZZB{digest}")
            close_if_done(PaymentBatch.objects.get(pk=batch.pk), prep)
        Payment.objects.filter(batch=batch).update(prepared_at=prepared, approved_at=approved, sent_at=sent)
        PaymentBatch.objects.filter(pk=batch.pk).update(submitted_at=prepared, approved_at=approved, sent_at=sent)
    return failed
