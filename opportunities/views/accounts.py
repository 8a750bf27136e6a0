from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from opportunities import services
from opportunities.forms import SignupForm
from opportunities.htmx import HtmxHttpRequest


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("opportunities:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            services.create_default_criteria(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            "Welcome to Crossroads. Your criteria are waiting: add your first opportunity.",
        )
        return redirect("opportunities:dashboard")
    return TemplateResponse(request, "registration/signup.html", {"form": form})
