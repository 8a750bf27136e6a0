"""Writes to a whole account: signing up, the address reminders go to, deleting an
account with everything in it, and importing an export into a fresh account.

The import is in three parts: ``reading`` reads a file by the rules the forms keep,
``history`` rebuilds one opportunity's past (its steps, scorings, decisions and story),
and ``importing`` rebuilds the account around them, all or nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import User
from django.db import transaction

from opportunities.accounts.services.importing import import_user_data
from opportunities.accounts.services.reading import MAX_IMPORT_BYTES, ImportProblem, read_export
from opportunities.criteria.services import create_default_criteria

__all__ = [
    "MAX_IMPORT_BYTES",
    "ImportProblem",
    "change_email",
    "delete_account",
    "import_user_data",
    "read_export",
    "sign_up",
]


@transaction.atomic
def sign_up(*, username: str, password: str, email: str = "") -> User:
    """A new account, given the default criteria so its owner can start scoring at once.
    The email address (optional) is where reminders to revisit a decision are sent."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    create_default_criteria(user)
    return user


def change_email(*, user: User, email: str) -> User:
    """Send reminders to ``email`` from now on; an empty one means the dashboard only."""
    user.email = BaseUserManager.normalize_email(email.strip())
    user.save(update_fields=["email"])
    return user


def delete_account(*, user: User) -> None:
    """Delete the account and everything it owns: every row carries its owner, and
    deleting the owner cascades to all of them (scores' criteria included)."""
    user.delete()
