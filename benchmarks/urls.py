"""The project's URLs plus the floor page the list pages are compared with."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from applications.models import Application

# A bare template: no base layout, no navigation, no forms.
FLOOR = engines["django"].from_string(
    "<!DOCTYPE html><title>floor</title><table>{% for a in rows %}<tr><td>{{ a.receipt_no }}</td>"
    "<td>{{ a.project_name }}</td><td>{{ a.requested_amount }}</td></tr>{% endfor %}</table>"
)


def floor(request):
    """One indexed query of 50 rows rendered by a bare template: the cost of any page on this stack."""
    rows = list(Application.objects.filter(first_submitted_at__isnull=False).order_by("-first_submitted_at")
                .only("receipt_no", "project_name", "requested_amount")[:50])
    return HttpResponse(FLOOR.render({"rows": rows}))


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("zhengzhou_grants.urls")),
]
