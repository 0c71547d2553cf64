"""Zhengzhou's 16 county-level units. The twelve administrative ones carry their GB/T 2260 codes."""

COUNTIES = [
    # (name, division code, abbreviation, kind)
    ("中原区", "410102", "ZY", "district"),
    ("二七区", "410103", "EQ", "district"),
    ("管城回族区", "410104", "GC", "district"),
    ("金水区", "410105", "JS", "district"),
    ("上街区", "410106", "SJ", "district"),
    ("惠济区", "410108", "HJ", "district"),
    ("中牟县", "410122", "ZM", "county"),
    ("巩义市", "410181", "GY", "city"),
    ("荥阳市", "410182", "XY", "city"),
    ("新密市", "410183", "XM", "city"),
    ("新郑市", "410184", "XZ", "city"),
    ("登封市", "410185", "DF", "city"),
    ("郑州经济技术开发区", "", "JK", "zone"),
    ("郑州高新技术产业开发区", "", "GX", "zone"),
    ("郑州航空港经济综合实验区", "", "HKG", "zone"),
    ("郑东新区", "", "ZD", "zone"),
]


def ensure_counties(sender=None, using="default", apps=None, **kwargs):
    """Create the 16 units if any is missing (post_migrate: also after a test flush empties the table)."""
    from django.apps import apps as global_apps

    County = (apps or global_apps).get_model("accounts", "County")
    if County.objects.using(using).count() >= len(COUNTIES):
        return
    for order, (name, code, abbreviation, kind) in enumerate(COUNTIES, start=1):
        County.objects.using(using).update_or_create(
            name=name, defaults={"division_code": code, "abbreviation": abbreviation, "kind": kind, "sort_order": order}
        )
