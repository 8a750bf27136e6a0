"""CSRF on every unsafe endpoint, GET refused on mutating ones, mass assignment ignored."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from opportunities.models import Criterion, Decision, Evaluation, Opportunity
from tests.security.endpoints import ENDPOINTS, PUBLIC, build_world, snapshot

pytestmark = pytest.mark.django_db

UNSAFE = [e for e in ENDPOINTS if "POST" in e.methods and e.name not in PUBLIC]
POST_ONLY = [e for e in UNSAFE if "GET" not in e.methods]


def url_of(endpoint, world) -> str:
    return reverse(endpoint.name, kwargs=endpoint.kwargs(world))


@pytest.mark.parametrize("endpoint", UNSAFE, ids=lambda e: e.name)
def test_csrf_token_is_required_and_the_htmx_header_token_is_accepted(endpoint, password):
    world = build_world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user)
    url = url_of(endpoint, world)
    before = snapshot(world.user)
    refused = client.post(url, endpoint.data(world), headers={"HX-Request": "true"})
    assert refused.status_code == 403
    assert snapshot(world.user) == before
    client.get(reverse("opportunities:dashboard"))  # sets the csrftoken cookie, as a page does
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        url, endpoint.data(world), headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert accepted.status_code not in (403, 500)


@pytest.mark.parametrize("endpoint", POST_ONLY, ids=lambda e: e.name)
def test_get_on_a_mutating_endpoint_is_refused(endpoint):
    world = build_world()
    client = Client()
    client.force_login(world.user)
    before = snapshot(world.user)
    assert client.get(url_of(endpoint, world)).status_code == 405
    assert snapshot(world.user) == before


def counts_by_owner(user_id: int) -> dict[str, int]:
    return {
        model.__name__: model.objects.filter(owner_id=user_id).count()
        for model in (Opportunity, Criterion, Evaluation, Decision)
    }


@pytest.mark.parametrize("endpoint", [e for e in UNSAFE if not e.destructive], ids=lambda e: e.name)
def test_extra_owner_and_id_fields_are_ignored(endpoint):
    world, victim = build_world(), build_world(tag="victim")
    victim_before = snapshot(victim.user)
    victim_counts = counts_by_owner(victim.user.pk)
    client = Client()
    client.force_login(world.user)
    hostile_extras = {
        "owner": victim.user.pk,
        "owner_id": victim.user.pk,
        "user": victim.user.pk,
        "user_id": victim.user.pk,
        "id": victim.opportunity.pk,
        "pk": victim.opportunity.pk,
        "opportunity": victim.opportunity.pk,
        "evaluation": victim.checkpoint.pk,
    }
    response = client.post(url_of(endpoint, world), endpoint.data(world) | hostile_extras)
    assert response.status_code < 500
    assert snapshot(victim.user) == victim_before
    assert counts_by_owner(victim.user.pk) == victim_counts
    owners = set(Opportunity.objects.values_list("owner_id", flat=True))
    assert owners <= {world.user.pk, victim.user.pk}
    assert get_user_model().objects.count() == 2
