"""The evaluation app's translations: its msgids re-translate no Django or other-app string in another
sense, and no gettext call hides inside an f-string where makemessages cannot see it."""

import json
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from tests.helpers import gettext_inside_fstrings

TRANSLATIONS = Path(settings.BASE_DIR) / "locale" / "translations"


def _django_catalogues():
    """msgid -> {Chinese} from Django's own catalogue and those of the installed apps (admin, auth ...)."""
    import django

    dirs = [Path(django.__file__).parent / "conf" / "locale"]
    dirs += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    found = {}
    for directory in dirs:
        mo = directory / "zh_Hans" / "LC_MESSAGES" / "django.mo"
        if mo.exists() and not mo.is_relative_to(Path(settings.BASE_DIR) / "locale"):
            for entry in polib.mofile(str(mo)):
                if entry.msgstr and not entry.msgctxt:
                    found.setdefault(entry.msgid, set()).add(entry.msgstr)
    return found


def _evaluation_json():
    return json.loads((TRANSLATIONS / "evaluation.json").read_text(encoding="utf-8"))


def test_admin_change_link_reads_xiugai_again():
    with translation.override("zh-hans"):
        assert gettext("Change") == "修改"
    assert "Change" not in _evaluation_json()


def test_evaluation_translations_do_not_shadow_djangos_own_in_another_sense():
    django_zh = _django_catalogues()
    assert django_zh["Change"] == {"修改"}  # the scan reads the catalogues at all
    ours = _evaluation_json()
    shadowing = {msgid: (zh, django_zh[msgid]) for msgid, zh in ours.items()
                 if msgid in django_zh and zh not in django_zh[msgid]}
    assert shadowing == {}


def test_evaluation_translations_do_not_override_another_apps_file():
    ours = _evaluation_json()
    clashes = {}
    for path in sorted(TRANSLATIONS.glob("*.json")):
        if path.name != "evaluation.json":
            theirs = json.loads(path.read_text(encoding="utf-8"))
            clashes |= {f"{path.name}: {k}": (theirs[k], ours[k]) for k in set(ours) & set(theirs)
                        if theirs[k] != ours[k]}
    assert clashes == {}
    # the generic words evaluation used in its own sense now have their own msgids
    for generic in ("Decision", "Enterprises", "By", "required", "Budget (10,000 yuan)"):
        assert generic not in ours, generic


def test_no_gettext_hides_inside_an_fstring_in_evaluation():
    root = Path(settings.BASE_DIR) / "evaluation"
    offenders = [f"{path.relative_to(root)}:{line}" for path in sorted(root.rglob("*.py"))
                 for line, _name in gettext_inside_fstrings(path.read_text(encoding="utf-8"))]
    assert offenders == []
