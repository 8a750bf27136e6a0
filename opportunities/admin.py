from django.contrib import admin

from opportunities.models import (
    Criterion,
    Decision,
    Evaluation,
    GutRanking,
    Opportunity,
    Profile,
    Score,
    StageChange,
)


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "owner", "stage", "is_status_quo", "archived_at"]
    list_filter = ["stage", "arrangement", "is_status_quo"]
    list_select_related = ["owner"]
    search_fields = ["title", "organisation"]
    raw_id_fields = ["owner"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "weight", "minimum", "position", "archived_at"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    raw_id_fields = ["criterion", "owner"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "opportunity", "owner", "decision_score", "frozen_at"]
    list_select_related = ["opportunity", "owner"]
    raw_id_fields = ["owner", "opportunity"]
    inlines = [ScoreInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "owner", "choice", "decided_on", "outcome"]
    list_select_related = ["opportunity", "owner"]
    raw_id_fields = ["owner", "opportunity", "evaluation"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "from_stage", "to_stage", "changed_at"]
    list_select_related = ["opportunity"]
    raw_id_fields = ["owner", "opportunity"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["owner", "currency"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]


@admin.register(GutRanking)
class GutRankingAdmin(admin.ModelAdmin):
    list_display = ["owner", "selection", "created_at"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
