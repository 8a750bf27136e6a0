from decimal import Decimal

import pytest

from opportunities.models import CriterionKind
from tests.factories import CriterionFactory


@pytest.fixture
def commute(user):
    """Commute as a number: 90 minutes a day scores 0, 10 scores 10 (weight 5)."""
    return CriterionFactory(
        owner=user,
        name="Commute",
        kind=CriterionKind.NUMBER,
        unit="minutes a day",
        worst=Decimal(90),
        best=Decimal(10),
        weight=5,
        low_meaning="0 = 90 minutes or more",
        high_meaning="10 = 10 minutes or less",
    )
