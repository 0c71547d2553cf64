#!/usr/bin/env python
"""Refresh the zh_Hans catalogue from the code and fill it from the translation files.

Translations live as JSON dictionaries (English msgid -> Chinese) in locale/translations/*.json, one
file per app, so that several people can translate at once without touching the same file.

    .venv/bin/python scripts/translate.py           # makemessages + fill + compile, list what is missing
    .venv/bin/python scripts/translate.py --missing  # print the untranslated msgids as a JSON skeleton
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", "var", "tests", "benchmarks", "scripts", "test-artifacts"]


def manage(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhengzhou_grants.settings.local"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def load_translations():
    merged = {}
    for path in sorted((ROOT / "locale" / "translations").glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def main():
    manage("makemessages", "-l", "zh_Hans", "--no-location", "-v0", *[f"--ignore={i}" for i in IGNORE])
    catalogue = polib.pofile(str(PO), wrapwidth=0)
    translations = load_translations()
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        entry.previous_msgctxt = None
        text = translations.get(entry.msgid)
        if entry.msgid_plural:
            text = text or translations.get(entry.msgid_plural)
            if text:
                entry.msgstr_plural = {0: text}
            else:
                entry.msgstr_plural = {0: ""}
                missing.append(entry.msgid)
        elif text:
            entry.msgstr = text
        else:
            entry.msgstr = ""
            missing.append(entry.msgid)
    catalogue.metadata_is_fuzzy = False
    catalogue.metadata["Language"] = "zh_Hans"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    # drop obsolete entries so the catalogue stays the code's truth
    for entry in [e for e in catalogue if e.obsolete]:
        catalogue.remove(entry)
    catalogue.save(str(PO))
    manage("compilemessages", "-l", "zh_Hans", "-v0", "--ignore=.venv")
    if "--missing" in sys.argv:
        print(json.dumps(dict.fromkeys(missing, ""), ensure_ascii=False, indent=2))
    elif missing:
        print(f"{len(missing)} msgids have no translation yet:", file=sys.stderr)
        for m in missing:
            print(f"  {m!r}", file=sys.stderr)
    return 1 if missing and "--strict" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
