"""我的工作 / My work: the page a user lands on after signing in."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openftz.core.workspace import WEEK_DAYS

from . import selectors


@login_required
def work(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/work.html", {"work": selectors.work(request.user), "week_days": WEEK_DAYS})
