from django.urls import path

from opportunities.views import criteria, opportunities

app_name = "opportunities"

urlpatterns = [
    path("", opportunities.dashboard, name="dashboard"),
    path("opportunities/new/", opportunities.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    path(
        "opportunities/<int:pk>/delete/",
        opportunities.opportunity_delete,
        name="opportunity_delete",
    ),
    path("opportunities/<int:pk>/scores/", opportunities.scores_save, name="scores_save"),
    path(
        "opportunities/<int:pk>/scores/<int:criterion_pk>/",
        opportunities.score_save,
        name="score_save",
    ),
    path("criteria/", criteria.criteria, name="criteria"),
    path("criteria/add/", criteria.criterion_add, name="criterion_add"),
    path("criteria/<int:pk>/", criteria.criterion_update, name="criterion_update"),
    path("criteria/<int:pk>/weight/", criteria.criterion_weight, name="criterion_weight"),
    path("criteria/<int:pk>/move/", criteria.criterion_move, name="criterion_move"),
    path("criteria/<int:pk>/archive/", criteria.criterion_archive, name="criterion_archive"),
    path("criteria/<int:pk>/restore/", criteria.criterion_restore, name="criterion_restore"),
]
