"""The friend's sheet as its page writes it: per criterion, each id, name, value and error
worked out once in Python, so that the page's loop over every criterion of every
opportunity stays flat (the row's own template, included per criterion and looking each
of these up through the form, cost more than the rest of the page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opportunities.friends.public_forms import Row, Section


@dataclass(frozen=True, slots=True)
class RatingRow:
    """One criterion of one opportunity on the friend's sheet."""

    name: str
    description: str
    prefix: str
    unrated: bool
    slider_value: int
    value_id: str
    value_name: str
    value: Any
    """What the number box holds (what was sent, or the earlier answer); "" for none."""
    value_errors: str
    cant_say_id: str
    cant_say_name: str
    cant_say: bool
    comment_id: str
    comment_name: str
    comment: Any
    comment_errors: str
    low_meaning: str
    """What 0 means, when the round shares it and the owner wrote it; else empty."""
    high_meaning: str
    owner_score: int | None


def _shown(value: Any) -> Any:
    return "" if value is None else value


def _joined(errors: Any) -> str:
    """As ``{{ errors|join:" " }}`` writes a field's errors."""
    return " ".join(str(error) for error in errors)


def rating_row(row: Row, *, share_meanings: bool) -> RatingRow:
    form = row.form
    criterion = row.criterion
    value, cant_say, comment = form["value"], form["cant_say"], form["comment"]
    return RatingRow(
        name=criterion.name,
        description=criterion.description,
        prefix=form.prefix or "",
        unrated=row.unrated,
        slider_value=row.slider_value,
        value_id=value.auto_id,
        value_name=value.html_name,
        value=_shown(value.value()),
        value_errors=_joined(value.errors),
        cant_say_id=cant_say.auto_id,
        cant_say_name=cant_say.html_name,
        cant_say=bool(cant_say.value()),
        comment_id=comment.auto_id,
        comment_name=comment.html_name,
        comment=_shown(comment.value()),
        comment_errors=_joined(comment.errors),
        low_meaning=criterion.low_meaning if share_meanings else "",
        high_meaning=criterion.high_meaning if share_meanings else "",
        owner_score=row.owner_score,
    )


def rating_rows(section: Section, *, share_meanings: bool) -> list[RatingRow]:
    return [rating_row(row, share_meanings=share_meanings) for row in section.rows]
