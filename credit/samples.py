"""The demo's credit list: a 失信被执行人 list with a few enterprises, one of which has an application waiting
for the city's qualification (so the demo shows a hit, its notifications and the clearance it needs)."""

import datetime

from accounts.validators import make_credit_code

from .models import CreditList, ListKind
from .services import credit_list_import

OUTSIDERS = [("91410100MA9G7H2L0", "郑州某某商贸有限公司", "未履行生效法律文书确定的给付义务"),
             ("91410105MA9K3L5P1", "河南某某建材有限公司", "有履行能力而拒不履行生效法律文书确定义务")]


def seed_list(*, actor, listed):
    """Import the list once (idempotent), naming ``listed`` (an enterprise) and two enterprises that are not
    on the platform. Returns the list."""
    existing = CreditList.objects.filter(source="最高人民法院（示例）").first()
    if existing is not None or actor is None:
        return existing
    rows = [("统一社会信用代码", "名称", "列入原因", "列入日期"),
            (listed.credit_code, listed.name, "未按执行通知履行法律文书确定的义务", "2026-10-20"),
            *((make_credit_code(code[:17]), name, reason, "2026-09-01") for code, name, reason in OUTSIDERS)]
    data = "\n".join(",".join(row) for row in rows).encode("utf-8-sig")
    return credit_list_import(actor=actor, kind=ListKind.DISHONEST_DEBTOR, source="最高人民法院（示例）",
                              published_on=datetime.date(2026, 11, 20), filename="失信被执行人名单（示例）.csv",
                              data=data)


# GB/T 4754 industry codes for the platform's leading industries (the demo's enterprises by profile)
INDUSTRY_CODES = {"electronics": "3971", "automotive": "3670", "equipment": "3411", "new_materials": "3091",
                  "food": "1391", "aluminium": "3216", "biomedicine": "2710", "apparel": "1810", "other": "4190"}
UNREGISTERED = [("91410122MA9X1A2B3", "中牟县某某汽车零部件有限公司", "中牟县", "3670", True, 86000000, 42000000),
                ("91410181MA9X2C3D4", "巩义市某某铝材有限公司", "巩义市", "3216", True, 240000000, 68000000),
                ("91410183MA9X3E4F5", "新密市某某耐火材料有限公司", "新密市", "3089", True, 54000000, 7500000),
                ("91410184MA9X4G5H6", "新郑市某某食品有限公司", "新郑市", "1391", True, 38000000, 3200000),
                ("91410185MA9X5J6K7", "登封市某某电力装备有限公司", "登封市", "3821", False, 12000000, 1800000),
                ("91410102MA9X6L7M8", "郑州某某软件服务有限公司", "中原区", "6510", True, 30000000, 9000000),
                ("91410105MA9X7N8P9", "郑州某某商贸有限公司", "金水区", "5179", False, 8000000, 100000),
                ("91410106MA9X8Q9R0", "郑州某某智能装备有限公司", "上街区", "3499", True, 46000000, 26000000)]


def seed_registry(*, actor, registered, year=2026):
    """Import the demo's enterprise registry once (idempotent): ``registered`` enterprises of the platform
    [(organisation, investment in 元)] and eight that are not on the platform (two of them outside
    manufacturing). Returns the RegistryImport."""
    from .models import RegistryImport
    from .registry import TEMPLATE_HEADER, registry_import

    existing = RegistryImport.objects.filter(source="郑州市统计局（示例）").first()
    if existing is not None or actor is None:
        return existing
    rows = [TEMPLATE_HEADER]
    for org, investment in registered:
        revenue = investment * 3 if org.is_above_scale else 15000000
        rows.append((org.credit_code, org.name, org.county.name, INDUSTRY_CODES.get(org.industry, "4190"),
                     "是" if org.is_above_scale else "否", str(revenue), str(investment)))
    for code, name, county, industry, above, revenue, investment in UNREGISTERED:
        rows.append((make_credit_code(code[:17]), name, county, industry, "是" if above else "否", str(revenue),
                     str(investment)))
    data = "\n".join(",".join(row) for row in rows).encode("utf-8-sig")
    return registry_import(actor=actor, year=year, source="郑州市统计局（示例）", filename="企业名录（示例）.csv",
                           data=data)
