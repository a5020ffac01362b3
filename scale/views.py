"""The benchmark's floor page: the same middleware, session and base template
as every page, and no data of its own. Routed only by config/urls_bench.py."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "scale/floor.html")
