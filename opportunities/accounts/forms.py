"""Signing up, importing an export, deleting an account."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth.forms import UserCreationForm

from opportunities.accounts.services import MAX_IMPORT_BYTES


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username",)


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
            self.cleaned_data["data"] = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError("That file is not readable JSON.") from exc
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
