"""A decision weighed against its alternatives, in Chromium: the form ticks staying as you
are and the job's variants, the choice of options survives a refused form, and the
decision page and the journal say what was chosen over what, by how much, and whether the
gut agreed."""

import pytest
from playwright.sync_api import expect

from opportunities.compare.services import save_gut_ranking
from opportunities.models import Criterion, DecisionAlternative, Opportunity
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _values_fit(opportunity, user, value: int) -> None:
    criterion = Criterion.objects.for_user(user).get(name="Values fit")
    save_score(opportunity=opportunity, criterion=criterion, value=value)


def test_a_decision_remembers_what_it_was_weighed_against(live_server, page, login, user):
    strategist = OpportunityFactory(owner=user, title="Part-time strategist", organisation="")
    staying = OpportunityFactory(
        owner=user, title="Freelancing", organisation="", is_status_quo=True
    )
    variant = OpportunityFactory(owner=user, title="Strategist as subcontractor", organisation="")
    Opportunity.objects.filter(pk=variant.pk).update(variant_of=strategist)
    studio = OpportunityFactory(owner=user, title="Brand designer", organisation="")
    _values_fit(strategist, user, 6)
    _values_fit(staying, user, 7)
    _values_fit(variant, user, 5)
    _values_fit(studio, user, 4)
    save_gut_ranking(user=user, order=[strategist.pk, staying.pk, studio.pk])
    login(user)

    page.goto(f"{live_server.url}/opportunities/{strategist.pk}/decide/")
    options = page.get_by_role("group", name="Weighed against")
    staying_box = page.get_by_label("Staying as you are: Freelancing · 70.0")
    variant_box = page.get_by_label("Strategist as subcontractor (a variant of this one) · 50.0")
    studio_box = page.get_by_label("Brand designer · 40.0")
    expect(staying_box).to_be_checked()
    expect(variant_box).to_be_checked()
    expect(studio_box).not_to_be_checked()

    # By keyboard: leave the variant out, weigh the studio in.
    variant_box.focus()
    page.keyboard.press("Space")
    studio_box.focus()
    page.keyboard.press("Space")
    expect(variant_box).not_to_be_checked()
    expect(studio_box).to_be_checked()

    # A refused form keeps the options as ticked.
    page.get_by_label("Pursue it").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Does the result feel right? Yes, no or unsure.")).to_be_visible()
    expect(studio_box).to_be_checked()
    expect(variant_box).not_to_be_checked()
    expect(options).to_be_visible()

    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="Skip for now").click()  # the commit step, left for now
    expect(page.get_by_test_id("weighed-summary")).to_have_text(
        "Chose “Part-time strategist” (60.0) over staying as you are (70.0): 10.0 behind; "
        "“Brand designer” (40.0): ahead by 20.0."
    )
    expect(page.get_by_test_id("weighed-alternative")).to_have_count(2)
    expect(page.get_by_test_id("weighed-gut")).to_contain_text(
        "Yes; first by feel in your gut ranking of these options"
    )
    assert DecisionAlternative.objects.count() == 2

    # The frozen total of an alternative opens as its checkpoint, and leads back.
    page.get_by_role("link", name="Freelancing").click()
    expect(
        page.get_by_role("heading", name="Alternative to the decision on Part-time strategist")
    ).to_be_visible()
    page.get_by_test_id("weighed-in").click()
    expect(page.get_by_test_id("weighed-summary")).to_be_visible()

    page.get_by_role("link", name="Journal").first.click()
    expect(page.get_by_test_id("entry-weighed")).to_have_text(
        "Chose “Part-time strategist” (60.0) over staying as you are (70.0): 10.0 behind; "
        "“Brand designer” (40.0): ahead by 20.0 · first by feel in your gut ranking of these "
        "options."
    )
