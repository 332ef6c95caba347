"""Calibration views for `make bench`, mounted only when ALWAGHT_BENCH_VIEWS=1.

Every page of the benchmark is reported as a ratio to these two, measured in the
same run by the same server: ratios carry over between machines and runs, while
absolute requests per second drift with whatever else the machine is doing.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from articles.models import Section


def no_database(request):
    """Answer "ok" without a query or a template: the floor of the stack."""
    return HttpResponse("ok", content_type="text/plain")


def one_query(request):
    """Render bench/one_query.html with one small query (the sections)."""
    return render(request, "bench/one_query.html", {"sections": list(Section.objects.all())})


urlpatterns = [
    path("no-db/", no_database, name="no-db"),
    path("one-query/", one_query, name="one-query"),
]
