"""The words of the story and the days it may hold (pure)."""

from datetime import date

from opportunities.journal.core import EARLIEST_DAY
from opportunities.timeline.core import (
    checkpoint_title,
    decision_title,
    happened_on_problem,
    outcome_title,
    stage_title,
)

TODAY = date(2026, 3, 14)


def test_titles_read_as_sentences():
    assert stage_title(to_label="Lead") == "Added as lead"
    assert stage_title(to_label="Interviewing", from_label="Applied") == "Moved to interviewing"
    assert checkpoint_title("after the interview") == "Checkpoint: after the interview"
    assert len(checkpoint_title("x" * 300)) == 200
    assert decision_title("Pursue it") == "Decided to pursue it"
    assert outcome_title("Not selected (someone else was hired)") == (
        "Outcome: not selected (someone else was hired)"
    )
    assert outcome_title("") == "Outcome"


def test_a_day_that_happened_is_today_or_earlier_and_not_before_the_journal():
    assert happened_on_problem(TODAY, today=TODAY) is None
    assert happened_on_problem(EARLIEST_DAY, today=TODAY) is None
    assert "still to come" in happened_on_problem(date(2026, 3, 15), today=TODAY)
    problem = happened_on_problem(date(1999, 12, 31), today=TODAY)
    assert problem == "Check the year: the story goes back to 1 January 2000, no further."
