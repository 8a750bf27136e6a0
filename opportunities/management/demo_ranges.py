"""The demo's unsure scores: before the interview the role's scores were guesses ("I
don't even really know what the job is"), so four of them get wide ranges in a checkpoint
of their own, and a question, "What would the day-to-day actually be?", is asked that day.
The interview answers it; the scores after it keep narrower ranges (see ``load_demo``)."""

from datetime import date

from opportunities.models import Criterion, Opportunity
from opportunities.questions.services import answer_question, ask_question
from opportunities.scoring.services import save_checkpoint, save_score

GUESSES: dict[str, tuple[int, int, int]] = {
    "Values fit": (8, 5, 10),
    "Personal growth": (7, 4, 9),
    "Professional development": (8, 4, 10),
    "Daily & weekly life": (6, 2, 9),
}
"""Before the interview: the score, its low end and its high end, per criterion."""

AFTER_THE_INTERVIEW: dict[str, tuple[int, int]] = {
    "Values fit": (6, 8),
    "Personal growth": (6, 8),
    "Professional development": (5, 8),
    "Daily & weekly life": (3, 6),
}
"""After it: narrower ranges, around the first impression's scores (and still around the
scores after talking to friends, so they carry on to the decision)."""

DAY_TO_DAY = "What would the day-to-day actually be?"
FOUND_OUT = (
    "Mostly planning content calendars with two clients' teams, a weekly call with Maya, "
    "and writing briefs; one day a week in the office. Less writing than I hoped."
)


def guess_before_the_interview(
    role: Opportunity, criteria: dict[str, Criterion], *, invited: date
) -> None:
    """The guesses the day the invitation came, frozen as a checkpoint, and the question
    that would settle the one that matters most."""
    for name, (value, low, high) in GUESSES.items():
        save_score(opportunity=role, criterion=criteria[name], value=value, score_range=(low, high))
    save_score(opportunity=role, criterion=criteria["Gut feeling"], value=8, score_range=None)
    save_checkpoint(opportunity=role, label="Before the interview (guesses)", happened_on=invited)
    ask_question(
        opportunity=role,
        criterion=criteria["Daily & weekly life"],
        text=DAY_TO_DAY,
        asked_on=invited,
    )


def answered_at_the_interview(role: Opportunity, *, interview: date) -> None:
    """The interview answers the question; the scores after it narrow (``narrowed``)."""
    question = role.questions.get(text=DAY_TO_DAY)
    answer_question(question=question, answer=FOUND_OUT, answered_on=interview)


def narrowed(name: str) -> tuple[int, int] | None:
    """The range a criterion keeps after the interview (None: no range)."""
    return AFTER_THE_INTERVIEW.get(name)
