"""Pages without login: the open and past calls with their notice, categories, award rules, materials, timeline."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ..models import Round
from ..selectors import published_rounds, round_with_categories


def call_list(request):
    now = timezone.now()
    rounds = list(published_rounds())
    return render(request, "public/call_list.html", {
        "open_rounds": [r for r in rounds if r.opens_at <= now < r.closes_at],
        "upcoming_rounds": [r for r in rounds if now < r.opens_at],
        "past_rounds": [r for r in rounds if r.closes_at <= now],
    })


def call_detail(request, year):
    try:
        round_ = round_with_categories(published_rounds(), year=year)
    except Round.DoesNotExist:
        round_ = get_object_or_404(Round, pk=0)  # a uniform 404
    return render(request, "public/call_detail.html", {"round": round_, "now": timezone.now()})
