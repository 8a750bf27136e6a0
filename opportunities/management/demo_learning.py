"""The demo story's decision, learned from: the commit step taken the day it was decided
(the gut said yes; a quick decision-quality check, a two-way door, a premortem, a kill
criterion and two forecasts), then the check-ins looked back on as the months passed.

Someone else was hired three days after the decision, so the kill criterion ("no word by
then") was not met, and the forecast of an offer came out false; three months on the
person is glad they went for it and re-scores what they learned about the role, and at
six months, still glad, the "glad at 6 months" forecast comes true. A newcomer sees the
commit step on the decision's page, check-ins in the journal and on the story, and the
first figures of "How well I judge". Check-ins whose day has not come yet stay open
(their dates are what the calendar feed carries)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from opportunities.learning.services.checkins import record_check_in
from opportunities.learning.services.commit import (
    CommitStep,
    ForecastItem,
    KillItem,
    PremortemItem,
    save_commit_step,
)
from opportunities.models import CheckIn, CheckInKind, Criterion, Decision, Door, Forecast

QUALITY = {
    "frame": "strong",
    "alternatives": "ok",
    "information": "weak",
    "values": "strong",
    "reasoning": "ok",
    "commitment": "strong",
}
"""The decision-quality check: what the job is day to day was still a guess."""

OFFER_FORECAST = "Maya makes me an offer within a month"
GLAD_FORECAST = "I'm still glad I did it at 6 months"
NO_WORD = "I have heard nothing from Maya, so I stop waiting and pitch new clients"

RESCORED = {"Values fit": 8, "Daily & weekly life": 4}
"""Three months on, the role as lived would have been: Maya said later it meant weekly
client calls at eight in the morning."""


def learn_from(decision: Decision, criteria: dict[str, Criterion]) -> None:
    """The commit step of ``decision`` (the demo's "pursue" on the role), and each of its
    check-ins whose day has come, answered as the story goes."""
    decided = decision.decided_on
    save_commit_step(
        decision=decision,
        step=CommitStep(
            answers=QUALITY,
            door=Door.TWO_WAY,
            change_cost="A few quieter months of freelancing; the clients would come back.",
            premortem=[
                PremortemItem(
                    "The day to day is account management, not strategy", in_my_control=False
                ),
                PremortemItem(
                    "I let the part-time hours creep up and my own work stalls",
                    in_my_control=True,
                ),
            ],
            kill_criteria=[KillItem(NO_WORD, check_on=decided + timedelta(days=21))],
            forecasts=[
                ForecastItem(GLAD_FORECAST, 80, template="glad_6m"),
                ForecastItem(OFFER_FORECAST, 70, resolves_on=decided + timedelta(days=30)),
            ],
        ),
    )
    today = timezone.localdate()
    forecasts = {f.statement: f for f in Forecast.objects.filter(decision=decision)}
    check_ins = {c.kind: c for c in CheckIn.objects.filter(decision=decision)}
    kill = check_ins[CheckInKind.KILL]
    heard_back = decided + timedelta(days=3)
    if heard_back <= today:
        assert kill.kill_criterion_id is not None
        _answer(
            kill,
            done_on=heard_back,
            how_it_goes="Maya called: she hired someone else. So I did hear back.",
            kill_triggers={kill.kill_criterion_id: False},
            resolutions={forecasts[OFFER_FORECAST].pk: "false"},
        )
    three = check_ins[CheckInKind.MONTHS_3]
    if three.due_on <= today:
        _answer(
            three,
            done_on=three.due_on,
            glad=8,
            how_it_goes="Not hired, and still glad I went for it: I know now that values "
            "and growth come first for me.",
            resolutions={forecasts[GLAD_FORECAST].pk: "unknown"},
            rescored={criteria[name].pk: lived for name, lived in RESCORED.items()},
        )
    six = check_ins[CheckInKind.MONTHS_6]
    if six.due_on <= today:
        _answer(
            six,
            done_on=six.due_on,
            glad=8,
            how_it_goes="The thinking itself was the value. Maya and I still talk.",
            resolutions={forecasts[GLAD_FORECAST].pk: "true"},
        )


def _answer(
    check_in: CheckIn,
    *,
    done_on: date,
    how_it_goes: str,
    glad: int | None = None,
    resolutions: dict[int, str] | None = None,
    kill_triggers: dict[int, bool | None] | None = None,
    rescored: dict[int, int] | None = None,
) -> None:
    record_check_in(
        check_in,
        glad=glad,
        how_it_goes=how_it_goes,
        resolutions=resolutions or {},
        kill_triggers=kill_triggers or {},
        rescored=rescored or {},
        done_on=done_on,
    )
