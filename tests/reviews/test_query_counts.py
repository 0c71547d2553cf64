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
