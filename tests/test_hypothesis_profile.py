"""The suite's hypothesis profile (``tests/conftest.py``): no property has a deadline, so a
slow machine cannot fail a correct change; speed is measured by the bench."""

from hypothesis import settings


def test_no_property_has_a_deadline_unless_it_asks_for_one():
    assert settings.get_current_profile_name() == "crossroads"
    assert settings().deadline is None
    assert settings(database=None, max_examples=2000).deadline is None  # as ``find`` is given
