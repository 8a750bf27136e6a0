import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from opportunities.journal.services import record_decision
from opportunities.learning.core import months_after
from opportunities.models import (
    CheckIn,
    CheckInKind,
    Criterion,
    Decision,
    DecisionChoice,
    Evaluation,
    Forecast,
    Opportunity,
    Person,
    Score,
)
from opportunities.pipeline.services import create_opportunity
from opportunities.scoring.services import live_evaluation

PASSWORD = "a-long-test-password-7"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    description = "What this criterion is about."
    weight = 5
    position = factory.Sequence(int)


class OpportunityFactory(factory.django.DjangoModelFactory):
    """An opportunity with its live evaluation, as the app creates them."""

    class Meta:
        model = Opportunity

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Role {n}")
    organisation = "Example Organisation"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        owner = kwargs.pop("owner")
        return create_opportunity(user=owner, opportunity=model_class(**kwargs))


class CheckpointFactory(factory.django.DjangoModelFactory):
    """A frozen evaluation (the live one comes with every opportunity)."""

    class Meta:
        model = Evaluation

    opportunity = factory.SubFactory(OpportunityFactory)
    owner = factory.SelfAttribute("opportunity.owner")
    label = "After the interview"
    frozen_at = factory.LazyFunction(timezone.now)


class ScoreFactory(factory.django.DjangoModelFactory):
    """A score on an opportunity's live evaluation (pass ``evaluation`` for a checkpoint)."""

    class Meta:
        model = Score

    evaluation = factory.LazyFunction(lambda: live_evaluation(OpportunityFactory()))
    owner = factory.LazyAttribute(lambda o: get_user_model().objects.get(pk=o.evaluation.owner_id))
    criterion = factory.SubFactory(CriterionFactory, owner=factory.SelfAttribute("..owner"))
    value = 5


class PersonFactory(factory.django.DjangoModelFactory):
    """Someone in the story: a friend, a mentor, a contact at a company."""

    class Meta:
        model = Person

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    relationship = "friend"


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision recorded as the app records it (its checkpoint frozen, its story entry
    written); pass ``opportunity`` to decide on an existing one."""

    class Meta:
        model = Decision

    opportunity = factory.SubFactory(OpportunityFactory)
    choice = DecisionChoice.ACCEPT
    decided_on = factory.LazyFunction(timezone.localdate)
    confidence = 70

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        opportunity = kwargs.pop("opportunity")
        return record_decision(opportunity=opportunity, decision=model_class(**kwargs))


class ForecastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forecast

    decision = factory.SubFactory(DecisionFactory)
    owner = factory.LazyAttribute(lambda o: get_user_model().objects.get(pk=o.decision.owner_id))
    statement = factory.Sequence(lambda n: f"I am still glad at 6 months ({n})")
    probability = 70
    position = factory.Sequence(int)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    decision = factory.SubFactory(DecisionFactory)
    owner = factory.LazyAttribute(lambda o: get_user_model().objects.get(pk=o.decision.owner_id))
    kind = CheckInKind.MONTHS_3
    due_on = factory.LazyAttribute(lambda o: months_after(o.decision.decided_on, 3))
