"""The statistics bureau's enterprise registry (企业名录): imported whole (every row valid, or nothing saved) from
an XLSX or CSV file with the same reader as the credit lists, or delivered through the data interface with the
same checks. Each row: credit code (GB 32100), name, county (by name), industry code (GB/T 4754, 4 digits),
above designated size, last year's revenue and investment in 元."""

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import County
from accounts.validators import validate_credit_code
from core.audit import audit_record
from core.money import parse_amount
from core.permissions import require

from .models import RegistryEntry, RegistryImport
from .services import MAX_ROWS, CreditImportErrors, read_table

HEADERS = {
    "code": ("统一社会信用代码", "信用代码", "credit code", "credit_code"),
    "name": ("企业名称", "名称", "单位名称", "name"),
    "county": ("所属区县", "区县", "县（市、区）", "county"),
    "industry": ("行业代码", "国民经济行业代码", "industry code", "industry_code"),
    "above_scale": ("规上企业", "是否规上", "above scale", "above_scale"),
    "revenue": ("上年营业收入（元）", "上年营业收入", "营业收入", "revenue"),
    "investment": ("上年投资额（元）", "上年投资额", "投资额", "investment"),
}
REQUIRED = tuple(HEADERS)
TEMPLATE_HEADER = [names[0] for names in HEADERS.values()]
YES = {"是", "y", "yes", "true", "1", "规上"}
NO = {"否", "n", "no", "false", "0", "规下", ""}
MAX_AMOUNT = Decimal("99999999999999.99")


class RegistryErrors(CreditImportErrors):
    """All problems of one delivery; nothing was saved."""


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_rows(raw_rows, *, counties=None):
    """Validate dicts {code, name, county, industry, above_scale, revenue, investment} numbered from the caller's
    row numbers; returns (entries, errors). ``raw_rows`` is [(row number, dict)]."""
    if counties is None:
        counties = {c.name: c for c in County.objects.all()}
    entries, errors, seen = [], [], {}
    for number, row in raw_rows:
        problems = []
        code = _text(row.get("code")).upper()
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            problems.append(_("credit code %(code)s: %(why)s") % {"code": code[:20] or "—", "why": exc.messages[0]})
        else:
            if code in seen:
                problems.append(_("credit code %(code)s is already in row %(row)s") % {"code": code, "row": seen[code]})
            seen.setdefault(code, number)
        name = _text(row.get("name"))
        if not name or len(name) > 200:
            problems.append(_("the name is empty or longer than 200 characters"))
        county_name = _text(row.get("county"))
        county = counties.get(county_name)
        if county is None:
            problems.append(_("“%(value)s” is not a county of Zhengzhou") % {"value": county_name[:20] or "—"})
        industry = _text(row.get("industry"))
        if len(industry) != 4 or not industry.isdigit():
            problems.append(_("industry code “%(value)s” is not a 4-digit GB/T 4754 code")
                            % {"value": industry[:10] or "—"})
        scale = row.get("above_scale")
        scale = scale if isinstance(scale, bool) else _text(scale).lower()
        if isinstance(scale, bool):
            above = scale
        elif scale in YES:
            above = True
        elif scale in NO:
            above = False
        else:
            above = None
            problems.append(_("above designated size must be 是 or 否"))
        amounts = {}
        for key, label in (("revenue", _("revenue")), ("investment", _("investment"))):
            value = row.get(key)
            if isinstance(value, float):
                value = repr(value)
            try:
                amounts[key] = parse_amount(_text(value) if not isinstance(value, (str, Decimal)) else value,
                                            max_value=MAX_AMOUNT)
            except ValidationError as exc:
                problems.append(_("%(field)s: %(why)s") % {"field": label, "why": exc.messages[0]})
        if problems:
            errors.append(_("Row %(row)s: %(problems)s") % {"row": number, "problems": "；".join(problems)})
        else:
            entries.append({"code": code, "name": name, "county": county, "industry": industry,
                            "above_scale": above, **amounts})
    return entries, errors


def parse(filename, data):
    """The file's entries, or RegistryErrors listing every problem by row."""
    rows = [row for row in read_table(filename, data)
            if any(v not in (None, "") and str(v).strip() for v in row)]
    if not rows:
        raise RegistryErrors(_("The file has no rows."))
    header = {}
    for index, value in enumerate(rows[0]):
        text = str(value or "").strip().lower()
        for key, names in HEADERS.items():
            if text in {n.lower() for n in names} and key not in header:
                header[key] = index
    missing = [HEADERS[key][0] for key in REQUIRED if key not in header]
    if missing:
        raise RegistryErrors(_("Row 1 must name the columns; missing: %(cols)s.") % {"cols": "、".join(missing)})
    if len(rows) - 1 > MAX_ROWS:
        raise RegistryErrors(_("The list has more than %(n)s rows; split it into several files.") % {"n": MAX_ROWS})
    numbered = []
    for number, row in enumerate(rows[1:], start=2):
        numbered.append((number, {key: (row[index] if index < len(row) else None) for key, index in header.items()}))
    return numbered


def _save(*, actor, actor_name, year, source, filename, digest, entries, client_key=""):
    registry = RegistryImport.objects.create(year=year, source=source[:100], filename=(filename or "")[:200],
                                             sha256=digest, client_key=client_key, rows=len(entries),
                                             imported_by=actor)
    RegistryEntry.objects.bulk_create(
        RegistryEntry(registry=registry, year=year, credit_code=e["code"], name=e["name"], county=e["county"],
                      industry_code=e["industry"], above_scale=e["above_scale"], revenue=e["revenue"],
                      investment=e["investment"]) for e in entries)
    audit_record(actor=actor, actor_name=actor_name, action="registry.import", obj=registry,
                 data={"count": len(entries), "year": year, "source": registry.source, "tech_sha256": digest})
    return registry


def _year(year):
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise RegistryErrors(_("Give the year of the figures (2000 to 2100)."))
    return year


def registry_import(*, actor, year, source, filename, data):
    """Validate the whole file, then save the registry in one transaction; returns the RegistryImport."""
    require(actor, "credit.import_registry")
    year = _year(year)
    source = (source or "").strip()
    if not source:
        raise RegistryErrors(_("Name who delivered the registry."))
    entries, errors = check_rows(parse(filename, data))
    if errors:
        raise RegistryErrors(errors)
    if not entries:
        raise RegistryErrors(_("The file has no rows."))
    with transaction.atomic(durable=True):
        return _save(actor=actor, actor_name="", year=year, source=source, filename=filename,
                     digest=hashlib.sha256(data).hexdigest(), entries=entries)


def registry_push(*, system_name, year, rows, client_key):
    """The registry delivered through the data interface. The same Idempotency-Key with the same rows returns
    the delivery it made (created False) and saves nothing; with other rows it is refused. Returns
    (RegistryImport, created)."""
    year = _year(year)
    source = system_name[:100]
    digest = hashlib.sha256(json.dumps([year, rows], sort_keys=True, default=str).encode()).hexdigest()

    def earlier():
        found = RegistryImport.objects.filter(client_key=client_key, source=source).first()
        if found is not None and found.sha256 != digest:
            raise RegistryErrors(_("This Idempotency-Key was already used for another registry."))
        return found

    existing = earlier()
    if existing is not None:
        return existing, False
    entries, errors = check_rows(list(enumerate(rows, start=1)))
    if errors:
        raise RegistryErrors(errors)
    if not entries:
        raise RegistryErrors(_("Send at least one row."))
    try:
        with transaction.atomic(durable=True):
            return _save(actor=None, actor_name=system_name, year=year, source=source, filename="",
                         digest=digest, entries=entries, client_key=client_key), True
    except IntegrityError:  # the same key sent twice at once: the other request saved it
        existing = earlier()
        if existing is None:
            raise
        return existing, False


def latest_registry():
    return RegistryImport.objects.order_by("-imported_at", "-id").first()
