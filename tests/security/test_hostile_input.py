"""Hostile input on every form and htmx endpoint, generated with hypothesis.

Never a 5xx, and whatever comes back never carries the payload unescaped (no script,
no event handler, no hx-* attribute an attacker could smuggle into a page).
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opportunities.criteria.forms import CriterionForm
from opportunities.journal.forms import DecisionForm, OutcomeForm
from opportunities.pay.forms import CompensationForm, PaySettingsForm
from opportunities.people.forms import PersonForm
from opportunities.pipeline.forms import OpportunityForm
from tests.security.endpoints import ENDPOINTS, build_world

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "",
    " ",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "-1",
    "-0",
    "1e309",
    "9" * 400,
    "0x10",
    "١٢",
    "½",
    "\u202e",
    "\x00",
    "𝓐" * 300,
    "x" * 100_000,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '<div hx-get="/evil" hx-trigger="load">x</div>',
    "{{ 7|add:7 }}{% debug %}",
    "' OR 1=1 --",
    "2026-02-30",
    "../../etc/passwd",
]
DANGEROUS = ("<script>alert(1)</script>", "onerror=alert(1)>", 'hx-get="/evil"', "<img src=x")

VALUES = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)

EXTRA_FIELDS = {
    "opportunities:opportunity_create": list(OpportunityForm.base_fields),
    "opportunities:opportunity_edit": list(OpportunityForm.base_fields),
    "opportunities:criterion_add": list(CriterionForm.base_fields),
    "opportunities:person_create": list(PersonForm.base_fields),
    "opportunities:person_edit": list(PersonForm.base_fields),
    "opportunities:person_detail": ["page"],
    "opportunities:criterion_update": list(CriterionForm.base_fields),
    "opportunities:decision_create": list(DecisionForm.base_fields),
    "opportunities:outcome_edit": list(OutcomeForm.base_fields),
    "opportunities:compensation": [*CompensationForm.base_fields, "preview"],
    "opportunities:pay_settings": list(PaySettingsForm.base_fields),
    "opportunities:journal": ["year", "decision", "outcome", "page"],
    "opportunities:compare": ["ids", "gut"],
    "opportunities:compare_export": ["ids"],
    "signup": ["username", "password1", "password2"],
    "login": ["username", "password"],
}
TARGETS = [
    e for e in ENDPOINTS if not e.destructive and ("POST" in e.methods or e.name in EXTRA_FIELDS)
]

tried = {"inputs": 0}


def fields_of(endpoint, world) -> list[str]:
    names = list(endpoint.data(world)) + list(endpoint.query(world))
    names += EXTRA_FIELDS.get(endpoint.name, [])
    if endpoint.name in ("opportunities:compare", "opportunities:compare_weights"):
        names.append(f"w{world.criterion.pk}")
    return sorted(set(names) - {"loaded_version"}) or ["anything"]


@pytest.mark.parametrize("endpoint", TARGETS, ids=lambda e: e.name)
def test_hostile_input_never_breaks_or_leaks_into_the_page(endpoint):
    world = build_world()
    client = Client(raise_request_exception=False)
    client.force_login(world.user)
    url = reverse(endpoint.name, kwargs=endpoint.kwargs(world))
    names = fields_of(endpoint, world)
    method = "POST" if "POST" in endpoint.methods else "GET"

    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(values=st.fixed_dictionaries(dict.fromkeys(names, VALUES)), htmx=st.booleans())
    def attack(values, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        if method == "POST":
            response = client.post(url, endpoint.data(world) | values, headers=headers)
        else:
            response = client.get(url, endpoint.query(world) | values, headers=headers)
        tried["inputs"] += 1
        assert response.status_code < 500, (url, values)
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode(errors="replace")
            for dangerous in DANGEROUS:
                assert dangerous not in body, (url, dangerous)

    attack()
    print(f"\n{endpoint.name}: hostile inputs tried so far in this run: {tried['inputs']}")
