"""The calendar feed's settings: one form, whose button says what to do with the feed."""

from __future__ import annotations

from django import forms


class FeedAction(forms.Form):
    """Turn the feed on, give it a new address, or turn it off (the button pressed)."""

    ON = "on"
    RENEW = "renew"
    OFF = "off"

    action = forms.ChoiceField(
        choices=[(ON, "Turn it on"), (RENEW, "New address"), (OFF, "Turn it off")],
        error_messages={
            "required": "Choose what to do with your calendar feed.",
            "invalid_choice": "Choose what to do with your calendar feed: turn it on, give "
            "it a new address, or turn it off.",
        },
    )
