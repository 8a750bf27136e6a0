"""Create forms that create once, however often they are sent.

A double click that beats the script, a request retried on a flaky connection, Back and
submit again: each sends the same form twice. So a create form carries a one-time token
(a hidden uuid, :class:`OnceFormMixin`), and its service creates through
:func:`create_once`, which records the token, with a fingerprint of what was typed, in
the same transaction as the new row. A form sent again is answered with what it created
the first time (:func:`earlier_submission`, :func:`redirect_to_earlier`), not a copy:

* the same token: the same page sent twice. The unique constraint on (owner, token)
  makes this hold for two requests at the same moment, the second insert waiting for
  the first to commit and then failing;
* the same fingerprint within :data:`RESUBMIT_WINDOW`: Back fetches the page afresh
  (browsers never keep signed-in pages, and the page cache draws this token anew
  for each response), so it comes with a new token, but the browser puts
  the typed values back. A form changed after going Back creates a new row, as meant.

Once what a form created is deleted, the form may create it again.

To use it in another create form: call ``self.add_once_field()`` in the form's
``__init__``; in the view, before validating (a form sent again may no longer be valid,
e.g. "already your status quo"), answer :func:`earlier_submission` with
:func:`redirect_to_earlier`; create through :func:`create_once` in the service. The model
needs an ``owner`` and a ``get_absolute_url``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone

from opportunities.models import Owner, UsedFormToken, owner_id_of
from opportunities.web.page_cache import fresh_uuid

ONCE_FIELD = "form_token"
RESUBMIT_WINDOW = timedelta(days=1)
"""How long the same values sent again count as the same form sent again."""

_NOT_TYPED = {ONCE_FIELD, "csrfmiddlewaretoken", "loaded_version"}


@dataclass(frozen=True, slots=True)
class Submission:
    """How a create form was sent: its token (None when missing or not a uuid, as from a
    hand-made request) and the fingerprint of its values."""

    token: uuid.UUID | None
    fingerprint: str


class OnceFormMixin:
    """Gives a create form its one-time token, as a hidden field."""

    fields: dict[str, forms.Field]
    initial: MutableMapping[str, Any]
    data: Mapping[str, Any]
    is_bound: bool

    def add_once_field(self) -> None:
        # Never an error: a missing or forged token just means no token (see submission_of).
        self.fields[ONCE_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            # Drawn anew for each response, even from the page cache.
            self.initial[ONCE_FIELD] = fresh_uuid()

    @property
    def submission(self) -> Submission:
        return submission_of(self.data)


def submission_of(data: Mapping[str, Any]) -> Submission:
    """The token and fingerprint of posted form ``data`` (a QueryDict or a dict)."""
    getlist = getattr(data, "getlist", None)
    values = {
        key: getlist(key) if getlist else [data[key]]
        for key in sorted(data)
        if key not in _NOT_TYPED
    }
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return Submission(
        token=_parse_token(data.get(ONCE_FIELD)),
        fingerprint=hashlib.sha256(text.encode()).hexdigest(),
    )


def _parse_token(value: Any) -> uuid.UUID | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Once[M: models.Model]:
    """What a create form led to: the object, and whether this very request created it
    (False: the form had been sent before, and this is what it created then)."""

    object: M
    created: bool


def _kind(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _still_there[M: models.Model](model: type[M], used: UsedFormToken) -> M | None:
    if used.object_id is None or used.kind != _kind(model):
        return None
    return model._default_manager.filter(owner_id=used.owner_id, pk=used.object_id).first()


def earlier_submission[M: models.Model](
    *, user: Owner, submission: Submission, model: type[M]
) -> Once[M] | None:
    """What this form created when it was sent before, if it was and that still exists."""
    sent_before = Q(
        fingerprint=submission.fingerprint, created_at__gte=timezone.now() - RESUBMIT_WINDOW
    )
    if submission.token is not None:
        sent_before |= Q(token=submission.token)
    earlier = (
        UsedFormToken.objects.for_user(user)
        .filter(sent_before, kind=_kind(model), object_id__isnull=False)
        .order_by("-created_at", "-pk")
    )
    for used in earlier:
        found = _still_there(model, used)
        if found is not None:
            return Once(object=found, created=False)
    return None


@transaction.atomic
def create_once[M: models.Model](
    *, user: Owner, submission: Submission, model: type[M], create: Callable[[], M]
) -> Once[M]:
    """Run ``create`` unless the form's token has already created something that still
    exists; either way, say what the form created. A form without a token gets one."""
    owner_id = owner_id_of(user)
    token = submission.token or uuid.uuid4()
    try:
        with transaction.atomic():
            used = UsedFormToken.objects.create(
                owner_id=owner_id,
                token=token,
                fingerprint=submission.fingerprint,
                kind=_kind(model),
            )
    except IntegrityError:
        used = UsedFormToken.objects.for_user(owner_id).select_for_update().get(token=token)
        found = _still_there(model, used)
        if found is not None:
            return Once(object=found, created=False)
    created = create()
    used.object_id, used.kind, used.fingerprint = created.pk, _kind(model), submission.fingerprint
    used.save(update_fields=["object_id", "kind", "fingerprint"])
    return Once(object=created, created=True)


def redirect_to_earlier(request: HttpRequest, earlier: Once[Any]) -> HttpResponseRedirect:
    """Answer a form sent again: with what it created the first time, saying so."""
    messages.info(
        request,
        f"“{earlier.object}” was already saved from this form; here it is. "
        "Nothing was added twice.",
    )
    return redirect(earlier.object)
