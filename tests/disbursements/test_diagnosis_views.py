"""The diagnosis-service pages: city staff record the tender, add targets by credit code, upload reports for
the provider, confirm completion and acceptance; others may look (city-wide) or get nothing."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from disbursements.demo import demo_pdf
from disbursements.models import (
    Commitment,
    DiagnosisContract,
    DiagnosisProgramme,
    DiagnosisTarget,
)
from disbursements.workflow import ContractStatus
from tests.factories import UserFactory
from tests.factories import disbursements as f
from tests.factories.applications import MINIMAL_PDF, ProfiledEnterpriseFactory

pytestmark = pytest.mark.django_db


def test_city_runs_the_programme_in_the_browser(client_for):
    client = client_for(Role.CITY)
    response = client.post(reverse("disbursements:programmes"), {"year": 2021, "title": ""})
    programme = DiagnosisProgramme.objects.get()
    assert response.status_code == 302 and programme.title.startswith("2021")
    tender_url = reverse("disbursements:tender_create", args=[programme.pk])
    missing = client.post(tender_url, {"tender_date": "2021-01-18", "contract_amount": "6000000"})
    assert missing.status_code == 400 and missing.context["tender_form"].errors["new_name"]
    from accounts.validators import make_credit_code

    response = client.post(tender_url, {
        "new_name": "郑州智能方案有限公司", "new_credit_code": make_credit_code("91410100MA46XK0D7"),
        "new_bank_name": "中国银行郑州分行", "new_bank_account_no": "246012345678901234",
        "tender_date": "2021-01-18", "contract_amount": "6000000.00", "contract_no": "HT-1", "version": 1})
    contract = DiagnosisContract.objects.get()
    assert response.status_code == 302 and contract.provider.kind == "solution_provider"
    enterprise = ProfiledEnterpriseFactory()
    add = reverse("disbursements:target_create", args=[contract.pk])
    assert client.post(add, {"credit_code": "91410100MA0000000X"}).status_code == 400
    assert client.post(add, {"credit_code": enterprise.credit_code.lower(), "selected_on": "2021-03-05"}
                       ).status_code == 302
    target = DiagnosisTarget.objects.get()
    page = client.get(reverse("disbursements:contract_detail", args=[contract.pk])).content.decode()
    assert enterprise.name in page
    bad = client.post(reverse("disbursements:report_create", args=[target.pk]),
                      {"file": f.upload(b"GIF89a fake", "report.pdf", "application/pdf"), "version": 1})
    assert bad.status_code == 400
    good = client.post(reverse("disbursements:report_create", args=[target.pk]),
                       {"file": f.upload(MINIMAL_PDF, "报告.pdf", "application/pdf"), "received_on": "2021-06-01",
                        "version": 1})
    assert good.status_code == 302
    download = client.get(reverse("disbursements:report_download", args=[target.pk]))
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content) == MINIMAL_PDF
    assert client.post(reverse("disbursements:contract_complete", args=[contract.pk]),
                       {"completed_on": "2021-09-20", "version": 1}).status_code == 302
    no_notes = client.post(reverse("disbursements:contract_accept", args=[contract.pk]), {"result": "passed",
                                                                                       "version": 2})
    assert no_notes.status_code == 400
    client.post(reverse("disbursements:contract_accept", args=[contract.pk]),
                {"result": "passed", "notes": "验收合格", "accepted_on": "2021-10-20", "version": 2})
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACCEPTED
    assert Commitment.objects.get(contract=contract).approved_amount == 6000000
    timeline = client.get(reverse("disbursements:programme_detail", args=[programme.pk])).content.decode()
    assert "tl-late" in timeline  # targets chosen in March: after the end of February


@pytest.mark.parametrize(("role", "status"), [(Role.OFFICIAL, 200), (Role.FINANCE_APPROVER, 200),
                                              (Role.ENTERPRISE, 403), (Role.COUNTY, 403), (Role.EXPERT, 403)])
def test_who_sees_the_programme(client_for, role, status):
    from disbursements.services import programme_create

    programme = programme_create(actor=UserFactory.for_role(Role.CITY), year=2021)
    assert client_for(role).get(reverse("disbursements:programme_detail", args=[programme.pk])).status_code == status


def test_official_cannot_change_it(client_for):
    from disbursements.services import programme_create

    programme = programme_create(actor=UserFactory.for_role(Role.CITY), year=2021)
    client = client_for(Role.OFFICIAL)
    response = client.post(reverse("disbursements:tender_create", args=[programme.pk]), {})
    assert response.status_code == 403
    assert client.get(reverse("disbursements:programme_detail", args=[999])).status_code == 404


def test_report_sizes_in_the_platform_format(client_for, user_for):
    from disbursements.services import report_upload

    city = user_for(Role.CITY)
    contract = f.diagnosis_contract(city)
    target = f.diagnosis_target(city, contract)
    content = demo_pdf("size")
    report_upload(actor=city, target=target, received_on=date(2021, 6, 1),
                  upload=f.upload(content, "报告.pdf", "application/pdf"))
    html = client_for(city).get(reverse("disbursements:contract_detail", args=[contract.pk])).content.decode()
    assert f"(PDF, {max(len(content) / 1024, 0.1):.1f} KB," in html
    assert "字节" not in html and "bytes" not in html
