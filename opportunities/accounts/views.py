from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from opportunities.accounts import queries, services
from opportunities.accounts.forms import DeleteAccountForm, ImportForm, SignupForm
from opportunities.web.htmx import AuthenticatedHttpRequest, HtmxHttpRequest


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("opportunities:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.sign_up(
            username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            "Welcome to Crossroads. Your criteria are waiting: add your first opportunity.",
        )
        return redirect("opportunities:dashboard")
    return TemplateResponse(request, "registration/signup.html", {"form": form})


# --- Your data: export, import, delete -------------------------------------------------------


@require_safe
@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "opportunities/accounts/account.html",
        {
            "import_form": ImportForm(),
            "delete_form": DeleteAccountForm(user=request.user),
            "csv_tables": queries.CSV_TABLES,
        },
    )


@require_safe
@login_required
def export_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = queries.export_user_data(request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="crossroads-{stamp}.json"'
    return response


@require_safe
@login_required
def export_csv(request: AuthenticatedHttpRequest, table: str) -> HttpResponse:
    if table not in queries.CSV_TABLES:
        raise Http404("No such table.")
    response = HttpResponse(
        queries.export_csv(request.user, table), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="crossroads-{table}.csv"'
    return response


@require_POST
@login_required
def import_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            counts = services.import_user_data(request.user, form.cleaned_data["data"])
        except services.ImportProblem as problem:
            form.add_error("file", str(problem))
        else:
            messages.success(
                request,
                f"Imported {counts['opportunities']} opportunities, {counts['evaluations']} "
                f"evaluations and {counts['decisions']} decisions.",
            )
            return redirect("opportunities:dashboard")
    messages.error(request, "Nothing was imported; see below.")
    return TemplateResponse(
        request,
        "opportunities/accounts/account.html",
        {
            "import_form": form,
            "delete_form": DeleteAccountForm(user=request.user),
            "csv_tables": queries.CSV_TABLES,
        },
    )


@require_POST
@login_required
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "Your account was not deleted; see below.")
        return TemplateResponse(
            request,
            "opportunities/accounts/account.html",
            {
                "import_form": ImportForm(),
                "delete_form": form,
                "csv_tables": queries.CSV_TABLES,
            },
        )
    user = request.user
    logout(request)
    services.delete_account(user=user)
    messages.success(request, "Your account and everything in it have been deleted.")
    return redirect("login")
