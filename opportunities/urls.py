from django.urls import path

from opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("opportunities/new/", views.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/delete/", views.opportunity_delete, name="opportunity_delete"),
    path("opportunities/<int:pk>/scores/", views.scores_save, name="scores_save"),
    path(
        "opportunities/<int:pk>/scores/<int:criterion_pk>/",
        views.score_save,
        name="score_save",
    ),
    path("criteria/", views.criteria, name="criteria"),
    path("criteria/add/", views.criterion_add, name="criterion_add"),
    path("criteria/<int:pk>/", views.criterion_update, name="criterion_update"),
    path("criteria/<int:pk>/weight/", views.criterion_weight, name="criterion_weight"),
    path("criteria/<int:pk>/move/", views.criterion_move, name="criterion_move"),
    path("criteria/<int:pk>/archive/", views.criterion_archive, name="criterion_archive"),
    path("criteria/<int:pk>/restore/", views.criterion_restore, name="criterion_restore"),
]
