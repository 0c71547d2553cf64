"""The expert's scoring page reads a fixed number of statements, with or without a score, however many panels,
assignments and scores there are."""

import pytest

from reviews.services.scoring import score_save
from tests.factories.accounts import UserFactory
from tests.factories.reviews import logged_in, opened_panel, points_for

pytestmark = pytest.mark.django_db

# the page's target in benchmarks/README.md (make bench: statements that read or write data); inside a test's
# transaction the session's save adds a SAVEPOINT and its RELEASE
MAX_QUERIES = 8 + 2


def test_the_scoring_page_reads_the_same_statements_at_any_size(sheet, django_assert_max_num_queries):
    assignment, criteria, panel, url = sheet
    client = logged_in(assignment.expert.user)
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES) as empty:
        assert client.get(url).status_code == 200
    points = points_for(panel, "0.5")
    score_save(actor=assignment.expert.user, assignment=assignment, points=points, comment="", submit=False)
    client.get(url)  # a scored sheet reads its points with another statement, prepared on its first request
    with django_assert_max_num_queries(MAX_QUERIES) as scored:
        page = client.get(url)
    city = UserFactory(role="city")
    for _ in range(3):  # other panels with their assignments and scores
        other, _members, _apps = opened_panel(city, experts=3, applications=3, per_application=2)
        for a in other.assignments.select_related("expert__user").filter(status="confirmed"):
            score_save(actor=a.expert.user, assignment=a, points=points_for(other), comment="", submit=False)
    with django_assert_max_num_queries(MAX_QUERIES) as large:
        again = client.get(url)
    assert len(empty.captured_queries) == len(scored.captured_queries) == len(large.captured_queries)
    form = again.context["form"]
    assert {f"crit_{c.pk}": form.initial[f"crit_{c.pk}"] for c in criteria} == \
        {f"crit_{pk}": value for pk, value in points.items()}
    assert page.status_code == 200 and page.context["score"] is not None


def _statements(client, url, **params):
    """The statements of one GET that read or write data (transaction control and savepoints not counted)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT"))]


def _chair_with_panels(city, panels, applications):
    """An expert chairing ``panels`` opened panels (a member of each, assigned every application) whose other
    members submitted every score."""
    from reviews.models import Assignment
    from tests.factories.reviews import ExpertFactory, open_panel, panel_with

    chair = ExpertFactory()
    for _ in range(panels):
        panel, members, _apps = panel_with(experts=2, applications=applications)
        panel.members.add(chair)
        panel.chair = chair
        panel.save(update_fields=["chair"])
        open_panel(city, panel, per_application=3)
        for a in Assignment.objects.filter(panel=panel, status="confirmed").select_related("expert__user"):
            score_save(actor=a.expert.user, assignment=a, points=points_for(panel), comment="",
                       submit=a.expert_id != chair.pk)
    return chair


@pytest.mark.parametrize("url_name", ["reviews:my_assignments", "reviews:chair_scores"])
def test_the_chairs_pages_read_the_same_statements_with_more_panels_and_scores(url_name):
    from django.urls import reverse

    from reviews.models import Score

    city = UserFactory(role="city")
    small = logged_in(_chair_with_panels(city, 1, 1).user)
    large_chair = _chair_with_panels(city, 3, 4)
    large = logged_in(large_chair.user)
    assert Score.objects.filter(assignment__panel__chair=large_chair, status="submitted").count() == 3 * 4 * 2
    url = reverse(url_name)
    small.get(url)
    large.get(url)
    few, many = _statements(small, url), _statements(large, url)
    assert len(many) == len(few) <= 8, many
    # a search looks its term up in each related table first (core.search: enterprise, application, expert,
    # assignment), a fixed number whatever the rows, and counts what it found (unsearched, the page's own
    # figures count the list)
    assert len(_statements(large, url, q="专家")) <= len(few) + 5
    if url_name == "reviews:chair_scores":
        assert len(_statements(large, url, page="2")) == len(few)
