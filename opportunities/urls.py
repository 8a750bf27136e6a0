from django.urls import path

from opportunities.compare import views as compare
from opportunities.criteria import views as criteria
from opportunities.curves import views as curves
from opportunities.friends import public_views
from opportunities.friends import views as friends
from opportunities.help import views as help
from opportunities.journal import views as journal
from opportunities.learning.views import calendar as learning_calendar
from opportunities.learning.views import checkins
from opportunities.learning.views import commit as learning_commit
from opportunities.learning.views import feed as learning_feed
from opportunities.learning.views import judgement as learning_judgement
from opportunities.pay import views as pay
from opportunities.people import views as people
from opportunities.pipeline import views as pipeline
from opportunities.questions import views as questions
from opportunities.scoring import amount_views
from opportunities.scoring import views as scoring
from opportunities.timeline import views as timeline
from opportunities.weights import views as weights

app_name = "opportunities"

urlpatterns = [
    path("", pipeline.dashboard, name="dashboard"),
    path("opportunities/new/", pipeline.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", scoring.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", pipeline.opportunity_edit, name="opportunity_edit"),
    path(
        "opportunities/<int:pk>/delete/",
        pipeline.opportunity_delete,
        name="opportunity_delete",
    ),
    path("opportunities/<int:pk>/scores/", scoring.scores_save, name="scores_save"),
    path(
        "opportunities/<int:pk>/scores/<int:criterion_pk>/",
        scoring.score_save,
        name="score_save",
    ),
    # A number criterion's amount ("35" minutes a day), scored through its curve.
    path(
        "opportunities/<int:pk>/amount/<int:criterion_pk>/",
        amount_views.amount_save,
        name="amount_save",
    ),
    path("opportunities/<int:pk>/pay/", pay.compensation, name="compensation"),
    path(
        "opportunities/<int:pk>/scores/<int:criterion_pk>/derived/",
        pay.use_derived_score,
        name="use_derived_score",
    ),
    path("settings/pay/", pay.pay_settings, name="pay_settings"),
    path("opportunities/<int:pk>/stage/", pipeline.stage_move, name="stage_move"),
    path(
        "opportunities/<int:pk>/archive/", pipeline.opportunity_archive, name="opportunity_archive"
    ),
    path(
        "opportunities/<int:pk>/restore/", pipeline.opportunity_restore, name="opportunity_restore"
    ),
    path(
        "opportunities/<int:pk>/variant/",
        pipeline.opportunity_duplicate,
        name="opportunity_duplicate",
    ),
    path("opportunities/<int:pk>/reopen/", pipeline.opportunity_reopen, name="opportunity_reopen"),
    path(
        "opportunities/<int:pk>/checkpoints/new/",
        scoring.checkpoint_create,
        name="checkpoint_create",
    ),
    path(
        "opportunities/<int:pk>/checkpoints/<int:checkpoint_pk>/",
        journal.checkpoint_detail,
        name="checkpoint_detail",
    ),
    path("opportunities/<int:pk>/decide/", journal.decision_create, name="decision_create"),
    # The story of an opportunity: its dated entries.
    path("opportunities/<int:pk>/story/", timeline.story, name="story"),
    path("opportunities/<int:pk>/story/add/", timeline.entry_add, name="story_entry_add"),
    path(
        "opportunities/<int:pk>/story/<int:entry_pk>/edit/",
        timeline.entry_edit,
        name="story_entry_edit",
    ),
    path(
        "opportunities/<int:pk>/story/<int:entry_pk>/delete/",
        timeline.entry_delete,
        name="story_entry_delete",
    ),
    # Questions to find out about an opportunity, until they are answered.
    path("opportunities/<int:pk>/questions/", questions.question_add, name="question_add"),
    path(
        "opportunities/<int:pk>/questions/<int:question_pk>/answer/",
        questions.question_answer,
        name="question_answer",
    ),
    path(
        "opportunities/<int:pk>/questions/<int:question_pk>/delete/",
        questions.question_delete,
        name="question_delete",
    ),
    path("journal/", journal.journal_index, name="journal"),
    path("journal/priorities/", journal.priorities, name="priorities"),
    path("journal/judgement/", learning_judgement.judgement, name="judgement"),
    path("journal/<int:pk>/", journal.decision_detail, name="decision_detail"),
    path("journal/<int:pk>/outcome/", journal.outcome_edit, name="outcome_edit"),
    # The commit step: what was expected, written down the day the decision was recorded.
    path("journal/<int:pk>/commit/", learning_commit.commit_step, name="commit_step"),
    # A check-in on a decision (3, 6, 12 months on, or a kill criterion's day).
    path(
        "journal/<int:pk>/check-ins/<int:check_in_pk>/",
        checkins.check_in,
        name="check_in",
    ),
    path("compare/", compare.compare, name="compare"),
    path("compare/open/", compare.compare_open, name="compare_open"),
    path("compare/export.csv", compare.compare_export, name="compare_export"),
    path("compare/weights/", compare.compare_save_weights, name="compare_weights"),
    path("compare/gut-ranking/", compare.compare_gut_ranking, name="compare_gut_ranking"),
    # Asking friends: the owner's rounds, their personal links, and what friends said.
    path("friends/", friends.friends, name="friends"),
    path("friends/new/", friends.round_create, name="friends_round_create"),
    path("friends/<int:pk>/", friends.round_detail, name="friends_round"),
    path("friends/<int:pk>/links/", friends.invite, name="friends_invite"),
    path(
        "friends/<int:pk>/links/<int:link_pk>/new/",
        friends.link_reissue,
        name="friends_link_reissue",
    ),
    path(
        "friends/<int:pk>/links/<int:link_pk>/revoke/",
        friends.link_revoke,
        name="friends_link_revoke",
    ),
    path("friends/<int:pk>/close/", friends.round_close, name="friends_round_close"),
    path("friends/<int:pk>/reopen/", friends.round_reopen, name="friends_round_reopen"),
    path("friends/<int:pk>/delete/", friends.round_delete, name="friends_round_delete"),
    path(
        "friends/<int:pk>/adopt/<int:opportunity_pk>/<int:criterion_pk>/",
        friends.adopt,
        name="friends_adopt",
    ),
    # The friend's page: what a personal link opens, with no account.
    path("f/<str:token>/", public_views.friend_page, name="friend_page"),
    # Your dates in your calendar: the private feed's settings, and the feed itself.
    path(
        "settings/calendar/",
        learning_calendar.calendar_settings,
        name="calendar_settings",
    ),
    path("cal/<str:token>.ics", learning_feed.calendar_feed, name="calendar_feed"),
    path("help/", help.help_page, name="help"),
    path("criteria/", criteria.criteria, name="criteria"),
    path("criteria/add/", criteria.criterion_add, name="criterion_add"),
    path("criteria/<int:pk>/", criteria.criterion_update, name="criterion_update"),
    path("criteria/<int:pk>/weight/", criteria.criterion_weight, name="criterion_weight"),
    path("criteria/<int:pk>/move/", criteria.criterion_move, name="criterion_move"),
    path("criteria/<int:pk>/archive/", criteria.criterion_archive, name="criterion_archive"),
    path("criteria/<int:pk>/restore/", criteria.criterion_restore, name="criterion_restore"),
    # The value curve of Pay and of a number criterion, with its live preview.
    path("criteria/<int:pk>/curve/", curves.criterion_curve, name="criterion_curve"),
    path(
        "criteria/<int:pk>/curve/preview/",
        curves.criterion_curve_preview,
        name="criterion_curve_preview",
    ),
    # Weights set from the options on the table (swing weighting).
    path("weights/swing/", weights.swing, name="swing"),
    path("weights/swing/preview/", weights.swing_preview, name="swing_preview"),
    # People, and the follow-ups that come due with the revisits.
    path("people/", people.people, name="people"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", people.person_delete, name="person_delete"),
    path(
        "people/<int:pk>/follow-up/done/",
        people.person_follow_up_done,
        name="person_follow_up_done",
    ),
    path(
        "opportunities/<int:pk>/follow-up/done/",
        people.opportunity_follow_up_done,
        name="opportunity_follow_up_done",
    ),
]
