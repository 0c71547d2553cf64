"""Importing credit lists: XLSX or CSV, every row checked by the GB 32100 check character, every problem
reported by row, and nothing saved unless every row is valid."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from accounts.roles import Role
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from credit.models import CreditList, CreditRecord, ListKind
from credit.selectors import records_for
from credit.services import credit_list_import
from tests.factories.accounts import UserFactory
from tests.factories.disbursements import credit_code

pytestmark = pytest.mark.django_db
DAY = datetime.date(2021, 3, 1)


def xlsx(rows, header=("统一社会信用代码", "名称", "列入原因", "列入日期")):
    import io

    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def do_import(data, name="list.xlsx", actor=None):
    actor = actor or UserFactory.for_role(Role.CITY)
    return credit_list_import(actor=actor, kind=ListKind.DISHONEST_DEBTOR, source="最高人民法院", published_on=DAY,
                              filename=name, data=data)


def test_a_valid_xlsx_is_imported_whole_and_audited():
    code_a, code_b = credit_code(1), credit_code(2)
    imported = do_import(xlsx([(code_a, "郑州甲公司", "拒不履行生效判决", datetime.date(2021, 1, 5)),
                               (code_b.lower(), "郑州乙公司", "", "2021/02/03")]))
    assert imported.rows == 2 and CreditRecord.objects.count() == 2
    assert list(records_for(code_b).values_list("name", "listed_on")) == [("郑州乙公司", datetime.date(2021, 2, 3))]
    entry = AuditLog.objects.get(action="credit.list_import")
    assert entry.data["count"] == 2 and entry.data["source"] == "最高人民法院"


def test_csv_in_gb18030_or_utf8_is_read():
    code = credit_code(3)
    for encoding in ("utf-8-sig", "gb18030"):
        data = f"统一社会信用代码,名称\n{code},郑州丙公司\n".encode(encoding)
        assert do_import(data, name="list.csv").rows == 1


def test_every_bad_row_is_reported_and_nothing_is_saved():
    good = credit_code(4)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    data = xlsx([(good, "郑州丁公司", "", ""), (bad_check, "错码公司", "", ""), (good, "重复公司", "", ""),
                 ("", "", "", "2021-13-45")])
    with pytest.raises(ValidationError) as caught:
        do_import(data)
    messages = caught.value.messages
    assert any(m.startswith("第3行") for m in messages) and any(m.startswith("第4行") for m in messages)
    assert any(m.startswith("第5行") and "名称为空" in m and "不是日期" in m for m in messages)
    assert not CreditList.objects.exists() and not CreditRecord.objects.exists()


@pytest.mark.parametrize("data, expected", [
    (b"", "没有数据行"),
    (b"\x00\x01binary", "XLSX 或 CSV"),
    (b"PK\x03\x04broken", "损坏"),
    ("名称\n郑州戊公司\n".encode(), "统一社会信用代码"),
])
def test_unreadable_files_are_refused_with_a_reason(data, expected):
    with pytest.raises(ValidationError) as caught:
        do_import(data, name="x.csv")
    assert expected in " ".join(caught.value.messages)


def test_only_the_city_imports():
    with pytest.raises(TransitionNotAllowed):
        do_import(xlsx([(credit_code(5), "郑州己公司", "", "")]), actor=UserFactory.for_role(Role.COUNTY))


def test_the_import_page_keeps_the_form_and_lists_row_errors(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = client_for(Role.CITY)
    upload = SimpleUploadedFile("名单.xlsx", xlsx([("123", "坏代码公司", "", "")]))
    response = client.post(reverse("credit:lists"), {"kind": ListKind.ABNORMAL_OPERATION, "source": "市市场监管局",
                                                     "published_on": "2021-03-01", "file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "第2行" in page and 'value="市市场监管局"' in page
    good = SimpleUploadedFile("名单.xlsx", xlsx([(credit_code(6), "好公司", "", "")]))
    response = client.post(reverse("credit:lists"), {"kind": ListKind.ABNORMAL_OPERATION, "source": "市市场监管局",
                                                     "published_on": "2021-03-01", "file": good})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "好公司" in detail and "经营异常名录" in detail
    county = client_for(Role.COUNTY)
    assert county.get(reverse("credit:lists")).status_code == 200
    assert county.post(reverse("credit:lists"), {}).status_code == 403
    assert client_for(Role.ENTERPRISE).get(reverse("credit:lists")).status_code == 403
