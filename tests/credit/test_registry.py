"""Importing the statistics bureau's enterprise registry: every row checked, every problem reported by row, and
nothing saved unless every row is valid; audited."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from accounts.roles import Role
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from credit.models import RegistryEntry, RegistryImport, is_manufacturing
from credit.registry import TEMPLATE_HEADER, latest_registry, registry_import, registry_push
from tests.factories.accounts import UserFactory
from tests.factories.disbursements import credit_code

pytestmark = pytest.mark.django_db


def xlsx(rows, header=TEMPLATE_HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def do_import(data, actor=None, name="registry.xlsx"):
    actor = actor or UserFactory.for_role(Role.CITY)
    return registry_import(actor=actor, year=2026, source="郑州市统计局", filename=name, data=data)


def test_a_valid_file_is_imported_whole_and_audited():
    imported = do_import(xlsx([(credit_code(1), "郑州甲制造有限公司", "中原区", "3411", "是", 52000000, "32000000.50"),
                               (credit_code(2).lower(), "郑州乙制造有限公司", "金水区", 3911, "否", "1,200,000", 0)]))
    assert imported.rows == 2 and latest_registry() == imported
    first = RegistryEntry.objects.get(credit_code=credit_code(1))
    assert first.county.name == "中原区" and first.above_scale and first.investment == Decimal("32000000.50")
    second = RegistryEntry.objects.get(credit_code=credit_code(2))
    assert second.industry_code == "3911" and not second.above_scale and second.revenue == Decimal("1200000")
    entry = AuditLog.objects.get(action="registry.import")
    assert entry.data["count"] == 2 and entry.data["year"] == 2026
    from django.utils import translation

    from core.audit_notes import render_note

    with translation.override("zh-hans"):
        assert render_note(entry) == "2 家企业，2026年度数据，郑州市统计局报送"


def test_every_bad_row_is_reported_and_nothing_is_saved():
    good = (credit_code(3), "郑州丙制造有限公司", "中原区", "3411", "是", "100", "100")
    rows = [good,
            ("91410100MA0000000X", "坏代码", "中原区", "3411", "是", "1", "1"),
            (credit_code(4), "郑州丁", "火星区", "34", "也许", "abc", "-5"),
            good]
    with pytest.raises(ValidationError) as caught:
        do_import(xlsx(rows))
    text = "\n".join(caught.value.messages)
    assert text.count("第3行") == 1 and "校验码" in text
    row4 = next(m for m in caught.value.messages if m.startswith("第4行"))
    assert "火星区" in row4 and "4754" in row4 and "是否规上" in row4 and "营业收入" in row4 and "投资额" in row4
    assert next(m for m in caught.value.messages if m.startswith("第5行")).endswith("与第2行重复")
    assert len(caught.value.messages) == 3
    assert not RegistryImport.objects.exists() and not RegistryEntry.objects.exists()
    assert not AuditLog.objects.filter(action="registry.import").exists()


def test_missing_columns_are_named():
    with pytest.raises(ValidationError) as caught:
        do_import(xlsx([(credit_code(5), "甲")], header=("统一社会信用代码", "企业名称")))
    assert "行业代码" in caught.value.messages[0]


def test_csv_is_read_too():
    data = ("统一社会信用代码,企业名称,所属区县,行业代码,规上企业,上年营业收入（元）,上年投资额（元）\n"
            f"{credit_code(6)},郑州戊制造有限公司,二七区,2614,是,30000000,25000000\n").encode("gb18030")
    assert do_import(data, name="r.csv").rows == 1


def test_only_the_city_imports():
    with pytest.raises(TransitionNotAllowed):
        do_import(xlsx([]), actor=UserFactory.for_role(Role.COUNTY))


def test_push_is_idempotent_by_key_and_validated():
    row = {"code": credit_code(7), "name": "郑州己制造有限公司", "county": "中原区", "industry": "3411",
           "above_scale": True, "revenue": "1000", "investment": "2000"}
    first, created = registry_push(system_name="统计局系统", year=2026, rows=[row], client_key="k1")
    again, created_again = registry_push(system_name="统计局系统", year=2026, rows=[row], client_key="k1")
    assert created and not created_again and first == again and RegistryImport.objects.count() == 1
    with pytest.raises(ValidationError):
        registry_push(system_name="统计局系统", year=2026, rows=[{**row, "industry": "x"}], client_key="k2")
    assert RegistryImport.objects.count() == 1


@pytest.mark.parametrize("code,expected", [("1311", True), ("4390", True), ("3411", True), ("1200", False),
                                           ("4411", False), ("341", False), ("C341", False)])
def test_manufacturing_is_section_c(code, expected):
    assert is_manufacturing(code) is expected


def test_the_registry_page_imports_a_file_or_shows_every_row_problem():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories.applications import browser

    client = browser(Role.CITY)
    url = reverse("credit:registry")
    bad = xlsx([(credit_code(11), "郑州庚制造有限公司", "火星区", "3411", "是", "1", "1")])
    answer = client.post(url, {"year": "2026", "source": "郑州市统计局",
                               "file": SimpleUploadedFile("r.xlsx", bad)})
    assert answer.status_code == 200 and "火星区" in answer.content.decode() and not RegistryImport.objects.exists()
    good = xlsx([(credit_code(11), "郑州庚制造有限公司", "中原区", "3411", "是", "1", "1")])
    answer = client.post(url, {"year": "2026", "source": "郑州市统计局", "file": SimpleUploadedFile("r.xlsx", good)})
    assert answer.status_code == 302 and RegistryImport.objects.get().rows == 1
    assert "郑州市统计局" in client.get(url).content.decode()
    assert browser(Role.COUNTY).get(url).status_code == 403
