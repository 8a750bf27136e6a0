"""Form plumbing shared by the features."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from django import forms


class ConflictCheckMixin:
    """Refuse to overwrite changes saved elsewhere (another tab, another device).

    The form carries the version (``updated_at``) it was loaded with; if the row has
    been saved since, the user gets a clear conflict message with their own input
    kept, instead of silently overwriting the other edit.
    """

    conflict_message = (
        "This was changed in another tab or on another device after you opened this "
        "form. Your version is below and nothing was saved: reload the page to see the "
        "other changes, then make yours again."
    )

    # Provided by the ModelForm this is mixed into.
    fields: dict[str, forms.Field]
    initial: MutableMapping[str, Any]
    cleaned_data: dict[str, Any]
    instance: Any
    is_bound: bool

    def add_version_field(self) -> None:
        self.fields["loaded_version"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64
        )
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_version"] = self.instance.updated_at.isoformat()

    def check_version(self) -> None:
        loaded = self.cleaned_data.get("loaded_version")
        if self.instance.pk and loaded and loaded != self.instance.updated_at.isoformat():
            raise forms.ValidationError(self.conflict_message, code="conflict")
