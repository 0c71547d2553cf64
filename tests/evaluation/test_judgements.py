"""Judged indicators: the band, the basis, attachments checked by content and served behind a permission."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from core.models import AuditLog
from evaluation.constants import Grade
from evaluation.models import Evidence, Judgement
from evaluation.results import year_results
from evaluation.services import judgements as svc

pytestmark = pytest.mark.django_db


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def test_judgement_scores_inside_its_band(year2021, city):
    ind = year2021.indicators.get(number=20)  # weight 3
    svc.judgement_save(actor=city, indicator=ind, grade=Grade.PARTLY, points=Decimal("2.1"), basis="间接佐证")
    row = next(r for r in year_results(year2021).rows if r.indicator.number == 20)
    assert (row.score.points, row.score.met, row.actual_display) == (Decimal("2.10"), False, "部分达成")
    assert row.score.reason_required and row.basis == "间接佐证"
    assert "1.80–2.40" in row.score.formula
    with pytest.raises(ValidationError):
        svc.judgement_save(actor=city, indicator=ind, grade=Grade.PARTLY, points=Decimal("2.4"), basis="x")
    with pytest.raises(ValidationError):
        svc.judgement_save(actor=city, indicator=ind, grade=Grade.ACHIEVED, points=Decimal("3"), basis="  ")
    assert Judgement.objects.get(indicator=ind).points == Decimal("2.10")
    assert AuditLog.objects.filter(action="evaluation.judgement_save").count() == 1


def test_computed_indicators_take_no_judgement(year2021, city):
    with pytest.raises(ValidationError):
        svc.judgement_save(actor=city, indicator=year2021.indicators.get(number=1), grade=Grade.ACHIEVED,
                           points=Decimal("10"), basis="x")


def test_judgement_form_keeps_the_band_and_explains_it(client_for, year2021):
    client = client_for(Role.CITY)
    url = reverse("evaluation:judgement", args=[2021, 2])
    response = client.post(url, {"grade": "achieved", "points": "3", "basis": "依据", "version": 0})
    assert response.status_code == 400
    assert "得分须在 3.20 至 4.00 之间" in response.content.decode()
    assert "依据" in response.content.decode()  # what was typed is kept
    assert not Judgement.objects.exists()
    client.post(url, {"grade": "achieved", "points": "3.6", "basis": "预算依据郑政〔2020〕20号编制", "version": 0})
    assert Judgement.objects.get().points == Decimal("3.60")


def test_evidence_is_checked_by_content_and_stored_under_a_generated_name(year2021, city):
    ind = year2021.indicators.get(number=2)
    evidence = svc.evidence_add(actor=city, indicator=ind, name="批复.png", data=png_bytes())
    assert evidence.content_type == "image/png" and len(evidence.sha256) == 64
    assert "批复" not in evidence.file.name and evidence.file.name.endswith(".png")
    with pytest.raises(ValidationError):
        svc.evidence_add(actor=city, indicator=ind, name="批复.pdf", data=b"<html><script>alert(1)</script>")
    with pytest.raises(ValidationError):
        svc.evidence_add(actor=city, indicator=ind, name="x.pdf", data=b"")
    assert Evidence.objects.count() == 1


def test_evidence_upload_view_and_permission_checked_download(client_for, year2021, city, user_for):
    client = client_for(city)
    upload = SimpleUploadedFile("预算批复.png", png_bytes(), content_type="application/pdf")
    client.post(reverse("evaluation:evidence_upload", args=[2021, 2]), {"file": upload, "description": "批复"})
    evidence = Evidence.objects.get()
    url = reverse("evaluation:evidence_download", args=[evidence.pk])
    detail = client.get(reverse("evaluation:indicator_detail", args=[2021, 2])).content.decode()
    assert url in detail
    official = client_for(Role.OFFICIAL)
    response = official.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == png_bytes()
    enterprise = client_for(Role.ENTERPRISE)
    assert enterprise.get(url).status_code == 403
    client_for(city)
    refused = client.post(reverse("evaluation:evidence_upload", args=[2021, 2]),
                          {"file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")})
    assert refused.status_code == 400
    assert "此文件是可执行程序；仅接受 PDF、JPG、PNG、DOCX 和 XLSX 文件" in refused.content.decode()
    assert Evidence.objects.count() == 1
