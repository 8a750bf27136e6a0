"""What asking friends does outside a request: emailing a friend their personal link.

Queued through Django's tasks framework (``settings.TASKS``): in production the task waits
in the database and ``manage.py db_worker`` sends it, so a slow mail server never holds a
page; development and the tests run it at once. Its arguments are stored with the queued
task, so the link's token travels in them sealed with the site's secret key
(``core.seal``), never as it is.
"""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from opportunities.friends.core import unseal
from opportunities.friends.services.invitations import deliver_invitation
from opportunities.web.data_version import bumps_everyone


@task
@bumps_everyone
def send_invitation(invitation_id: int, sealed: str, nonce: str) -> bool:
    """Email the friend of ``invitation_id`` their link, unless it changed or stopped
    working since it was queued. Returns whether an email was sent."""
    token = unseal(sealed, key=settings.SECRET_KEY.encode(), nonce=bytes.fromhex(nonce))
    return deliver_invitation(invitation_id=invitation_id, token=token)
