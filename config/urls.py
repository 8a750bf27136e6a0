from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from opportunities.accounts import views as accounts
from opportunities.web import errors, health

handler400 = errors.bad_request
handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", include("opportunities.urls")),
    path("accounts/signup/", accounts.signup, name="signup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/", accounts.account, name="account"),
    path("account/email/", accounts.account_email, name="account_email"),
    path("account/export.json", accounts.export_json, name="export_json"),
    path("account/export/<slug:table>.csv", accounts.export_csv, name="export_csv"),
    path("account/import/", accounts.import_json, name="import_json"),
    path("account/delete/", accounts.delete_account, name="delete_account"),
    path("admin/", admin.site.urls),
]
