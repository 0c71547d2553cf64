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
