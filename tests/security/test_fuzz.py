"""Every form, every htmx endpoint and the import take hostile requests of every kind
without a 5xx, and the account is intact afterwards: every page of it answers 200 and its
export still imports (issue 15).

The deterministic complement to ``test_hostile_input.py``, which tries a few random values
per endpoint: here every field of every form meets every class of hostile value (all
fields at once, and each field on its own with one class, the rest valid), plain and by
htmx, and every endpoint gets missing, doubled and unknown fields and bodies in the wrong
charset or format (``tests/security/fuzz.py``). ``make fuzz`` sends the same kinds of
request, seven times as many (each field on its own with every class, every body to every
endpoint), to gunicorn on PostgreSQL.

Each test sends everything before asserting, so a failure lists every request that got a
5xx (up to 20 of them), each ready to replay.
"""

import json
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from opportunities.accounts.queries import export_user_data
from opportunities.accounts.services import import_user_data
from opportunities.criteria.services import create_default_criteria
from opportunities.friends import public_views
from opportunities.models import Opportunity
from opportunities.web.throttle import Limit
from tests.factories import UserFactory
from tests.security import fuzz
from tests.security.endpoints import build_world

pytestmark = pytest.mark.django_db

SAMPLE = 3
"""One in three of the unknown field names, of the bodies other than the charsets and of
the import files goes to each endpoint here, to keep this under a minute; ``make fuzz``
sends them all."""

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def friends_pages_unthrottled(monkeypatch):
    """The friend's page allows 60 requests per link in ten minutes: far fewer than the fuzz
    sends it, and a 429 would keep the hostile values from its form. Its limits have
    tests of their own (tests/friends/test_link_security.py)."""
    for name in ("PER_LINK", "PER_ADDRESS", "UNKNOWN_PER_ADDRESS"):
        limit = getattr(public_views, name)
        monkeypatch.setattr(public_views, name, Limit(limit.name, 10**9, limit.per_seconds))


def send(client: Client, case: fuzz.Case):
    headers = dict(case.headers)
    if case.method == "GET":
        return client.get(case.path, headers=headers)
    return client.generic(
        case.method, case.path, case.body, content_type=case.content_type, headers=headers
    )


class Run:
    """The statuses a run got, and the requests that got a 5xx."""

    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []

    def send(self, client: Client, case: fuzz.Case):
        response = send(client, case)
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {case}")
        return response

    def assert_no_5xx(self) -> None:
        print(f"\n{self.statuses.total():,} requests: {dict(sorted(self.statuses.items()))}")
        assert not self.failures, "\n".join(self.failures[:20])


def assert_account_intact(user, *, per_kind: int = fuzz.PAGES_PER_KIND) -> None:
    """Every page of the account answers 200, whole and as each htmx fragment (a page that
    redirects, like opening the comparison, must land on one that does)."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    pages = fuzz.account_pages(user, per_kind=per_kind)
    broken = []
    for path, headers in pages:
        response = client.get(path, headers=dict(headers), follow=True)
        landed = response.redirect_chain[-1][0] if response.redirect_chain else path
        if response.status_code != 200 or landed.startswith(LOGIN):
            broken.append(f"{response.status_code} GET {path} {dict(headers)} -> {landed}")
    assert not broken, f"{user.username}: " + "\n".join(broken)
    assert len(pages) > 10


def _empty_account():
    user = UserFactory()
    create_default_criteria(user)
    return user


PARTS = 3
"""The endpoints are shared out between this many tests (every third to each), so that
parallel workers share the fuzz rather than one of them running it all at the end."""


@pytest.mark.parametrize("part", range(PARTS))
def test_every_form_and_htmx_endpoint_takes_hostile_requests_and_the_account_still_works(part):
    world = build_world()
    client = Client(raise_request_exception=False)
    client.force_login(world.user)
    run = Run()
    targets = fuzz.targets(world)
    for target in targets[part::PARTS]:
        for case in fuzz.hostile_requests(target, sample=SAMPLE):
            run.send(client, case)
    run.assert_no_5xx()
    assert len(targets) > 40
    assert run.statuses.total() > 500
    assert client.get("/").status_code == 200, "the fuzzing session was signed out"
    assert_account_intact(world.user)
    # What the forms let in, the import takes back: one set of rules for both.
    copy = _empty_account()
    export = json.loads(json.dumps(export_user_data(world.user)))
    import_user_data(copy, export)
    assert_account_intact(copy)


def test_deleting_endpoints_take_hostile_requests_on_an_account_of_their_own():
    world = build_world()
    client = Client(raise_request_exception=False)
    client.force_login(world.user)
    run = Run()
    for target in fuzz.targets(world, destructive=True):
        for case in fuzz.hostile_requests(target, sample=SAMPLE):
            run.send(client, case)
    run.assert_no_5xx()
    assert get_user_model().objects.filter(pk=world.user.pk).exists()
    assert_account_intact(world.user)


def test_log_in_and_sign_up_take_hostile_requests_from_anyone():
    """Each request from a new visitor; a sign-up that goes through is an account, and its
    pages must work too. Log-in throttling may answer 429; that is not a failure."""
    before = set(get_user_model().objects.values_list("pk", flat=True))
    run = Run()
    for target in fuzz.anonymous_targets():
        for case in fuzz.hostile_requests(target, sample=SAMPLE):
            run.send(Client(raise_request_exception=False), case)
    run.assert_no_5xx()
    for user in get_user_model().objects.exclude(pk__in=before):
        assert_account_intact(user)


def test_hostile_import_files_are_refused_and_leave_the_account_working():
    """Into an empty account, as an import must be; when a file goes in (the export as it
    is, or a change the rules allow), the account's pages are checked and it is emptied
    for the next file. A file differs from the export in its first row of a kind, so the
    pages of the first row of each kind are the ones to check."""
    export = fuzz.an_export()
    user = _empty_account()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    run = Run()
    imported = 0
    for case in fuzz.import_cases(export, sample=SAMPLE):
        response = run.send(client, case)
        if Opportunity.objects.for_user(user).exists():
            imported += 1
            assert response.status_code in (200, 302), case
            assert_account_intact(user, per_kind=1)
            fuzz.reset_import_account(user)
    run.assert_no_5xx()
    assert imported >= 1, "not even the export as it is went in"
    assert_account_intact(user)
