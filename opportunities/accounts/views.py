from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from opportunities.accounts import queries, services
from opportunities.accounts.backends import BACKEND
from opportunities.accounts.forms import DeleteAccountForm, EmailForm, ImportForm, SignupForm
from opportunities.web.htmx import AuthenticatedHttpRequest, HtmxHttpRequest


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("opportunities:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.sign_up(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
        )
        login(request, user, backend=BACKEND)
        messages.success(
            request,
            "Welcome to Crossroads. Your criteria are waiting: add your first opportunity.",
        )
        return redirect("opportunities:dashboard")
    return TemplateResponse(request, "registration/signup.html", {"form": form})


# --- Your data: export, import, delete -------------------------------------------------------


def _account_page(
    request: AuthenticatedHttpRequest,
    *,
    email_form: EmailForm | None = None,
    import_form: ImportForm | None = None,
    delete_form: DeleteAccountForm | None = None,
) -> TemplateResponse:
    """The account page, with any form that was just sent and refused shown with its
    errors and what was typed."""
    return TemplateResponse(
        request,
        "opportunities/accounts/account.html",
        {
            "email_form": email_form or EmailForm(initial={"email": request.user.email}),
            "import_form": import_form or ImportForm(),
            "delete_form": delete_form or DeleteAccountForm(user=request.user),
            "csv_tables": queries.CSV_TABLES,
        },
    )


@require_safe
@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _account_page(request)


@require_POST
@login_required
def account_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Your email address was not changed; see below.")
        return _account_page(request, email_form=form)
    user = services.change_email(user=request.user, email=form.cleaned_data["email"])
    if user.email:
        messages.success(request, f"Reminders will be emailed to {user.email}.")
    else:
        messages.success(request, "No email address: reminders will appear on your dashboard only.")
    return redirect(f"{reverse('account')}#email-title")


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
    return _account_page(request, import_form=form)


@require_POST
@login_required
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "Your account was not deleted; see below.")
        return _account_page(request, delete_form=form)
    user = request.user
    logout(request)
    services.delete_account(user=user)
    messages.success(request, "Your account and everything in it have been deleted.")
    return redirect("login")
