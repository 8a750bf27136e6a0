import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from opportunities.models import Criterion, Evaluation, Opportunity, Person, Score
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
