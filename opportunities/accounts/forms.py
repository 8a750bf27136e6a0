"""Signing up, where reminders go, importing an export, deleting an account."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

from opportunities.accounts.services import MAX_IMPORT_BYTES, ImportProblem, read_export


def email_field(*, help_text: str) -> forms.EmailField:
    return forms.EmailField(
        label="Email address for reminders",
        required=False,
        max_length=254,
        help_text=help_text,
        error_messages={
            "invalid": "That is not an email address; check it, or leave it empty.",
            "max_length": "An email address has at most 254 characters.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SignupForm(UserCreationForm):
    email = email_field(
        help_text="Optional. Only for reminders to look back on a decision, on the date you "
        "choose; without an address they appear on your dashboard only. You can add or "
        "change it later on your account page."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


class EmailForm(forms.Form):
    """Where reminders go: an address, or none (the dashboard only)."""

    email = email_field(
        help_text="Leave it empty to have reminders on your dashboard only.",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Crossroads export (.json)",
        help_text="A file from “Export all my data”. Imports only into an empty account.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("That file is larger than 5 MB; it is not an export.")
        try:
            self.cleaned_data["data"] = read_export(upload.read())
        except ImportProblem as problem:
            raise forms.ValidationError(str(problem)) from problem
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput, strip=False, max_length=4096
    )
    confirm = forms.CharField(
        label="Type DELETE to confirm", max_length=10, help_text="This cannot be undone."
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_confirm(self) -> str:
        confirm = self.cleaned_data["confirm"]
        if confirm.strip() != "DELETE":
            raise forms.ValidationError("Type DELETE in capitals to confirm.")
        return confirm
