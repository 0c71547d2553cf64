"""Demo data for the end of the 2021 cycle (idempotent, a few seconds).

- 2021 budget as dated entries: original 58000万元 (2021-01-20), no adjustment, funds received in three
  instalments (20000 + 20000 + 18000 = 58000万元, 到位率 100%); due-date rule: 180 days after approval;
- the 2021 diagnosis-service programme: a provider chosen by tender (2021-01-18, 600万元), 12 target
  enterprises (February), reports March-July, completion 2021-09-24, acceptance passed 2021-10-22, the fee
  paid through the ordinary payment path on 2021-11-30;
- a commitment for every 2021 application listed in the budget (or paid) that has none yet (the reviews
  demo normally creates them when finance approves the support list), approved 2020-12-28;
- payments through the real services (batches prepared by demo_fin_prep, approved by demo_fin_appr, sent,
  booked paid) until 2021's paid total is exactly 52013万元, spread over five batches (March-November); the
  rest stays committed and unpaid, so that the browser flow can still be tried (if the budget-listed
  applications cannot reach 52013万元, all but the last 10 commitments are paid and the gap is reported);
- one payment (the demo enterprise's, else the first one whose enterprise has a user) fails at the bank
  (收款账户已销户); four days later the enterprise corrects its bank account, the county bureau verifies the
  change three days after that, and a new attempt is paid in its own run 26 days after the failure: the failure
  stays on record and the paid total is unchanged.

Each step runs inside ``core.clock.at`` the day it happened, so its audit rows and notifications carry the
cycle's dates (January to November 2021).
"""

import datetime
import hashlib
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
from applications.models import Application
from applications.workflow import Status as AppStatus
from core import clock

from .models import BudgetEntry, Commitment, DiagnosisProgramme, Payment, PaymentBatch, PaymentRule
from .selectors import budget_figures, with_totals
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
YEAR = 2021
WAN = Decimal(10000)
PAID_TARGET = Decimal("52013") * WAN
DIAGNOSIS_FEE = Decimal("600") * WAN
BUDGET = [
    (BudgetEntry.Kind.ORIGINAL, Decimal("58000") * WAN, datetime.date(2021, 1, 20), "2021年度部门预算批复（年初预算）"),
    (BudgetEntry.Kind.RECEIVED, Decimal("20000") * WAN, datetime.date(2021, 3, 31), "第一批资金到位"),
    (BudgetEntry.Kind.RECEIVED, Decimal("20000") * WAN, datetime.date(2021, 6, 30), "第二批资金到位"),
    (BudgetEntry.Kind.RECEIVED, Decimal("18000") * WAN, datetime.date(2021, 9, 30), "第三批资金到位"),
]
# (value date, share of the payable total): five bank runs over the year
RUNS = [(datetime.date(2021, 3, 25), Decimal("0.30")), (datetime.date(2021, 5, 20), Decimal("0.25")),
        (datetime.date(2021, 6, 18), Decimal("0.20")), (datetime.date(2021, 9, 15), Decimal("0.15")),
        (datetime.date(2021, 11, 25), Decimal("1"))]
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
    started = timezone.now()
    users = {u.username: u for u in User.objects.filter(
        username__in=["demo_fin_prep", "demo_fin_appr", "demo_city"])}
    if len(users) < 3:
        if stdout:
            stdout.write("disbursements: demo users missing (run accounts.demo first); skipped")
        return
    prep, appr, city = users["demo_fin_prep"], users["demo_fin_appr"], users["demo_city"]
    with transaction.atomic(), on(datetime.date(2021, 1, 20)):
        _budget(appr)
        contract = _diagnosis(city)
        made = _commitments(appr)
    paid_runs = _payments(prep, appr, contract)
    figures = budget_figures(YEAR)
    if stdout:
        seconds = (timezone.now() - started).total_seconds()
        gap = PAID_TARGET - figures.paid
        stdout.write(
            f"disbursements: 2021 budget {figures.adjusted / WAN:.2f}万元, "
            f"committed {figures.committed / WAN:.2f}万元, paid {figures.paid / WAN:.2f}万元 "
            f"({made} new commitments, {paid_runs} bank runs)"
            + (f"; {gap / WAN:.2f}万元 short of 52013万元: not enough budget-listed 2021 applications" if gap else "")
            + f" ({seconds:.1f} s)")


def _budget(actor):
    for kind, amount, day, note in BUDGET:
        BudgetEntry.objects.get_or_create(fund_year=YEAR, kind=kind, date=day, note=note,
                                          defaults={"amount": amount, "created_by": actor})
    if not PaymentRule.objects.filter(fund_year=YEAR).exists():  # also recomputes the due dates made so far
        payment_rule_set(actor=actor, fund_year=YEAR, days=180, note="资金在预算批复后180日内拨付")


def _diagnosis(city):
    programme = DiagnosisProgramme.objects.filter(year=YEAR).first()
    if programme is not None:
        return programme.contracts.first()
    with on(datetime.date(2021, 1, 8)):
        programme = programme_create(actor=city, year=YEAR, title="2021年度郑州市智能化诊断服务")
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
    with on(datetime.date(2021, 1, 26)):
        contract = tender_record(actor=city, programme=programme, provider=provider,
                                 tender_date=datetime.date(2021, 1, 18), contract_amount=DIAGNOSIS_FEE,
                                 notice_no="ZZGX-2021-ZD-001", contract_no="ZZGX-HT-2021-07",
                                 signed_on=datetime.date(2021, 1, 26), notes="公开招标，综合评分第一名中标")
    enterprises = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).order_by("credit_code")[:12]
    for index, enterprise in enumerate(enterprises):
        with on(datetime.date(2021, 2, 3 + index)):
            target = target_add(actor=city, contract=contract, enterprise=enterprise,
                                selected_on=datetime.date(2021, 2, 3 + index))
        received = datetime.date(2021, 3 + index % 5, 10 + index)
        with on(received, 15):
            report_upload(actor=city, target=target, received_on=received,
                          upload=SimpleUploadedFile(f"{enterprise.name}诊断报告.pdf", demo_pdf(f"diag-{index}"),
                                                    content_type="application/pdf"))
    with on(datetime.date(2021, 9, 24)):
        contract_complete(actor=city, contract=contract, completed_on=datetime.date(2021, 9, 24))
    with on(datetime.date(2021, 10, 22)):
        contract_accept(actor=city, contract=contract, result="passed", accepted_on=datetime.date(2021, 10, 22),
                        notes="诊断报告齐全，问题识别准确，改造建议可行，验收合格。")
    return contract


def _commitments(actor):
    """Commitments for the 2021 applications listed in the budget that have none yet."""
    approved_at = at(datetime.date(2020, 12, 28))
    made = 0
    apps = Application.objects.filter(round__year=YEAR, status__in=[AppStatus.BUDGET_LISTED, AppStatus.PAID],
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


def _payments(prep, appr, contract):
    """Pay 2021 commitments through batches until the year's paid total is exactly PAID_TARGET."""
    runs = 0
    fee = Commitment.objects.filter(contract=contract).first() if contract else None
    if fee is not None and not fee.payments.exists():
        _run(prep, appr, [(fee, fee.approved_amount)], datetime.date(2021, 11, 30))
        runs += 1
    if Payment.objects.filter(commitment__fund_year=YEAR, commitment__application__isnull=False).exists():
        return runs
    paid = budget_figures(YEAR).paid
    still = PAID_TARGET - paid
    open_ones = list(with_totals(Commitment.objects.filter(fund_year=YEAR, application__isnull=False))
                     .select_related("payee").order_by("due_date", "id"))
    if sum((c.approved_amount - c.scheduled for c in open_ones), Decimal("0")) <= still:
        # the target cannot be met: keep a few unpaid to try the browser flow
        open_ones = open_ones[:len(open_ones) - min(RESERVED, len(open_ones) // 4)]
    plan = []
    for commitment in open_ones:
        free = commitment.approved_amount - commitment.scheduled
        if still <= 0:
            break
        if free <= 0 or not commitment.payee.bank_account_no:
            continue
        amount = min(free, still)
        plan.append((commitment, amount))
        still -= amount
    total = sum((a for _c, a in plan), Decimal("0"))
    failing = _failing(plan)
    start = 0
    for day, share in RUNS:
        if start >= len(plan):
            break
        wanted, chunk = total * share, []
        while start < len(plan) and (share == 1 or sum((a for _c, a in chunk), Decimal("0")) < wanted):
            chunk.append(plan[start])
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
