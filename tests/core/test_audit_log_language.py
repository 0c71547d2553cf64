"""The audit log of a whole demo cycle reads in the reader's language: every action written has a label, and every
row renders in Chinese without English words or usernames, and in English."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from core.audit import ACTION_LABELS
from core.audit_notes import annotate
from core.models import AuditLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")
# Words that are not English prose: file types in a file's name.
ALLOWED = {"XLSX", "PDF", "DOCX", "JPG", "PNG", "xlsx", "pdf", "docx", "jpg", "png", "jpeg", "JPEG"}


def english_words(text):
    return [word for word in ENGLISH_WORD.findall(text) if word not in ALLOWED]


def shown(entry):
    """What a reader (not an administrator) sees of a row."""
    return [str(entry.actor_label), str(entry.action_label), str(entry.state_text), str(entry.note_text)]


@pytest.fixture
def demo_log():
    call_command("seed_demo", verbosity=0)
    return list(AuditLog.objects.select_related("content_type").order_by("id"))


def test_every_row_of_the_demo_cycle_reads_in_chinese_and_in_english(demo_log, client):
    actions = {entry.action for entry in demo_log}
    assert len(actions) > 40  # the cycle itself ran
    assert not sorted(actions - set(ACTION_LABELS)), sorted(actions - set(ACTION_LABELS))

    usernames = set(User.objects.values_list("username", flat=True))
    with translation.override("zh-hans"):
        rows = annotate(demo_log)
        problems = []
        for entry in rows:
            texts = shown(entry)
            words = [w for text in texts for w in english_words(text)]
            names = [w for text in texts for w in re.findall(r"[A-Za-z0-9_.@-]+", text) if w in usernames]
            if words or names:
                problems.append((entry.action, texts, words, names))
        assert not problems, problems[:20]
        assert all(entry.actor_label for entry in rows if entry.actor_id)

    with translation.override("en"):
        rows = annotate(demo_log)
        assert all(str(entry.action_label) != entry.action for entry in rows)
        notes = [entry.note_text for entry in rows if entry.data]
        assert notes and all(not re.search(r"[\u4e00-\u9fff]", str(entry.action_label)) for entry in rows)

    # the page itself, first and last page, as the city bureau reads it
    city = UserFactory(role=Role.CITY)
    client.force_login(city)
    last = (len(demo_log) + 49) // 50
    for number in (1, last):
        html = client.get(reverse("core:audit_log"), {"page": number}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        body = html[html.index("<tbody>"):html.index("</tbody>")]
        text = re.sub(r"<[^>]+>", " ", body)
        assert not english_words(text), english_words(text)[:20]
        assert not [w for w in re.findall(r"[A-Za-z0-9_.@-]+", text) if w in usernames]
