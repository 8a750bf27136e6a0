"""Writes for asking friends: rounds and their personal links (``invitations``), a friend's
answers (``answers``), and adopting what friends said (``adoption``)."""

from opportunities.friends.services.adoption import (
    Adopted,
    AdoptProblem,
    adopt_friends_score,
    adoption_title,
    friends_spread,
)
from opportunities.friends.services.answers import (
    LinkNoLongerOpen,
    OpportunityAnswer,
    Rating,
    save_answers,
    touch,
)
from opportunities.friends.services.invitations import (
    MAX_OPPORTUNITIES_PER_ROUND,
    FriendsProblem,
    IssuedLink,
    add_link,
    close_round,
    create_round,
    create_round_once,
    delete_round,
    deliver_invitation,
    duplicate_problem,
    link_url,
    reissue_link,
    reopen_problem,
    reopen_round,
    revoke_link,
)

__all__ = [
    "MAX_OPPORTUNITIES_PER_ROUND",
    "AdoptProblem",
    "Adopted",
    "FriendsProblem",
    "IssuedLink",
    "LinkNoLongerOpen",
    "OpportunityAnswer",
    "Rating",
    "add_link",
    "adopt_friends_score",
    "adoption_title",
    "close_round",
    "create_round",
    "create_round_once",
    "delete_round",
    "deliver_invitation",
    "duplicate_problem",
    "friends_spread",
    "link_url",
    "reissue_link",
    "reopen_problem",
    "reopen_round",
    "revoke_link",
    "save_answers",
    "touch",
]
