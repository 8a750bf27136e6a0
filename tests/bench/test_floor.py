"""How low a missed budget could go (``bench.floor``): a request's time drawn in-process,
split between waiting on PostgreSQL, drawing its templates and the rest; the best share of
the baseline's throughput that leaves, how much of the rest would have to go, and what
templates drawn for nothing would reach; the report's table of the misses; and the
measuring itself on real requests through the whole stack."""

from __future__ import annotations

import dataclasses
import time

import pytest
from django.conf import settings
from django.db import connections
from django.template.backends.django import Template
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from bench import database, report
from bench.floor import Floor, best_ratio, cut_needed, templates_free_ratio
from bench.specs import SAVE, Scenario, Spec
from opportunities.scoring import views as scoring_views
from tests.bench.test_harness import results

_django_render = Template.render
BASELINE = Floor(request_ms=1.5, database_ms=0.3)  # 1.2 ms of its own work


def test_the_best_ratio_is_the_baselines_time_over_its_own_work_and_the_statements():
    save = Floor(request_ms=4.0, database_ms=1.3)
    assert best_ratio(save, BASELINE) == pytest.approx(1.5 / (1.2 + 1.3))  # 0.6
    assert best_ratio(BASELINE, BASELINE) == pytest.approx(1.0)


def test_statements_that_alone_miss_the_target_put_it_out_of_reach():
    save = Floor(request_ms=4.0, database_ms=1.5)
    assert best_ratio(save, BASELINE) < SAVE.min_throughput
    assert cut_needed(save, BASELINE, SAVE.min_throughput) is None


def test_otherwise_the_cut_is_the_share_of_the_rest_that_must_go():
    page = Floor(request_ms=18.0, database_ms=3.0)  # 15 ms of other work
    # At 0.3x the page may take 5 ms: 2 ms besides its statements, so 13 of the 15 go.
    assert cut_needed(page, BASELINE, 0.3) == pytest.approx(13 / 15)


def test_a_request_that_meets_the_target_as_drawn_needs_no_cut():
    cheap = Floor(request_ms=2.0, database_ms=0.5)
    assert cut_needed(cheap, BASELINE, 0.3) == 0.0


def test_with_its_templates_free_a_page_costs_the_rest_of_its_time():
    page = Floor(request_ms=18.0, database_ms=3.0, templates_ms=8.0)
    assert templates_free_ratio(page, BASELINE) == pytest.approx(1.5 / 10.0)
    assert templates_free_ratio(BASELINE, BASELINE) == pytest.approx(1.0)  # none drawn


@given(
    database_ms=st.floats(min_value=0.0, max_value=50.0),
    other_ms=st.floats(min_value=0.001, max_value=200.0),
    templates=st.floats(min_value=0.0, max_value=1.0),
    target=st.sampled_from([0.15, 0.3, 0.6]),
)
def test_a_cut_larger_than_the_templates_is_a_target_missed_without_them(
    database_ms, other_ms, templates, target
):
    """The report's "more than its templates" and its *No templates* column agree: the cut
    is larger than all the template time exactly when templates drawn for nothing miss."""
    request = Floor(database_ms + other_ms, database_ms, templates_ms=other_ms * templates)
    cut = cut_needed(request, BASELINE, target)
    if not cut:
        return
    beyond = request.other_ms * cut > request.templates_ms
    free = templates_free_ratio(request, BASELINE)
    if free != pytest.approx(target):  # on the edge, rounding decides
        assert beyond == (free < target)


@given(
    database_ms=st.floats(min_value=0.0, max_value=50.0),
    other_ms=st.floats(min_value=0.001, max_value=200.0),
    target=st.sampled_from([0.15, 0.3, 0.6]),
)
def test_cutting_that_share_meets_the_target_exactly(database_ms, other_ms, target):
    request = Floor(request_ms=database_ms + other_ms, database_ms=database_ms)
    cut = cut_needed(request, BASELINE, target)
    if cut is None:
        assert best_ratio(request, BASELINE) < target
        return
    assert 0.0 <= cut < 1.0
    after = request.database_ms + request.other_ms * (1 - cut)
    if cut > 0:
        assert BASELINE.request_ms / after == pytest.approx(target)
    else:
        assert BASELINE.request_ms / after >= target * (1 - 1e-9)


def test_the_report_lists_each_missed_budget_with_what_it_would_take():
    results_ = results(slider_p95=8.0, slider_rps=200)  # the slider save misses
    assert "## How low the misses could go" not in report.render(results_)  # none measured
    measured = results_.measured
    measured[0] = dataclasses.replace(measured[0], floor=BASELINE)
    measured[1] = dataclasses.replace(measured[1], floor=Floor(4.0, 1.5))
    markdown = report.render(results_)
    section = markdown.split("## How low the misses could go (in-process, drawn)")[1]
    section = section.split("\n## ")[0]
    assert "the baseline alone: 1.5 ms, 0.3 of them waiting on PostgreSQL" in section
    assert (
        "| B2a | Slider save | 4.0 | 1.5 | 1.5 | 0.0 | 8 | 0.56× | 0.38× | 0.6× | out of reach:"
        in section
    )
    assert "| B1 |" not in section  # the baseline has no budget to miss

    measured[1] = dataclasses.replace(measured[1], floor=Floor(4.0, 0.8))
    section = report.render(results_).split("## How low the misses could go")[1]
    assert (
        "| B2a | Slider save | 4.0 | 1.5 | 0.8 | 0.0 | 8 | 0.75× | 0.38× | 0.6× "
        "| 47% of the rest, more than its templates |"
    ) in section
    measured[1] = dataclasses.replace(measured[1], floor=Floor(4.0, 0.8, templates_ms=2.0))
    section = report.render(results_).split("## How low the misses could go")[1]
    assert "| 4.0 | 1.5 | 0.8 | 2.0 | 8 | 0.75× | 0.75× | 0.6× | 47% of the rest |" in section


def test_each_miss_is_read_against_the_baseline_measured_beside_it():
    """The machine slowed by half while the save was measured: read against the baseline
    measured in turn with it, the save's verdict is the one it had at full speed."""
    results_ = results(slider_p95=8.0, slider_rps=200)
    measured = results_.measured
    measured[0] = dataclasses.replace(measured[0], floor=BASELINE)
    slowed = Floor(request_ms=2 * 4.0, database_ms=2 * 0.8, templates_ms=2 * 2.0)
    beside = Floor(request_ms=2 * 1.5, database_ms=2 * 0.3)
    measured[1] = dataclasses.replace(measured[1], floor=slowed, floor_beside=beside)
    section = report.render(results_).split("## How low the misses could go")[1]
    assert "| 8.0 | 3.0 | 1.6 | 4.0 | 8 | 0.75× | 0.75× | 0.6× | 47% of the rest |" in section


# --- In the bench: a scenario's sampled requests, timed ------------------------------------------


def test_a_drawn_page_is_split_between_its_statements_and_the_rest(user, opportunity):
    spec = Spec(user.username, "GET", opportunity.get_absolute_url())
    scenario = Scenario("B3a", "Opportunity page", "the scoring page", (spec, spec))
    found = database._floor(scenario, {user.username: user})
    assert 0 < found["database_ms"] < found["request_ms"]
    assert 0 < found["templates_ms"] < found["request_ms"] - found["database_ms"]
    assert "_commit" not in vars(connections["default"])  # the timing is taken off again
    assert Template.render is _django_render  # and so is the templates'


def test_the_baseline_is_measured_in_turn_with_the_page(user, opportunity, criteria):
    page = Spec(user.username, "GET", opportunity.get_absolute_url())
    scenario = Scenario("B3a", "Opportunity page", "the scoring page", (page, page))
    cheap = Spec(user.username, "GET", reverse("opportunities:criteria"))
    beside = Scenario("B1", "Baseline", "a cheap page", (cheap,))
    sent: list[str] = []
    send = database._send
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            database, "_send", lambda c, spec, h: sent.append(spec.path) or send(c, spec, h)
        )
        found = database._floor(scenario, {user.username: user}, beside=beside)
    assert 0 < found["beside"]["templates_ms"] < found["beside"]["request_ms"]
    assert sent[:4] == [cheap.path, page.path] * 2  # one of the baseline's before each
    assert len(sent) == 2 * 2 * (1 + database.FLOOR_REPEATS)
    assert "beside" not in database._floor(scenario, {user.username: user})


def test_a_template_is_timed_once_with_what_it_includes_and_without_its_statements(
    user, opportunity, monkeypatch
):
    """The page's own template takes 200 ms more to draw, of which 100 ms waiting on a
    statement it runs: the templates' time grows by the other 100 ms, the wait by those
    100 (with room for a busy machine's noise, short of the 200 it would be if counted)."""
    spec = Spec(user.username, "GET", opportunity.get_absolute_url())
    scenario = Scenario("B3a", "Opportunity page", "the scoring page", (spec,))
    before = database._floor(scenario, {user.username: user})

    def slow_render(template, context=None, request=None):
        if template.template.name == scoring_views.PAGE:
            time.sleep(0.1)
            connection = connections["default"]
            with connection.execute_wrapper(_sleeping), connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        return _django_render(template, context, request)

    monkeypatch.setattr(Template, "render", slow_render)
    after = database._floor(scenario, {user.username: user})
    assert 70 <= after["templates_ms"] - before["templates_ms"] < 170
    assert 70 <= after["database_ms"] - before["database_ms"] < 170


def _sleeping(execute, sql, params, many, context):
    time.sleep(0.1)
    return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_a_saves_commit_is_counted_as_waiting(user, opportunity, criteria):
    """A COMMIT made slow (20 ms) shows in the wait of every save, each committing once."""
    criterion = criteria[0]
    url = reverse("opportunities:score_save", args=[opportunity.pk, criterion.pk])
    save = Spec(
        user.username, "POST", url, htmx_target="score-summary", form={f"{criterion.pk}-value": "6"}
    )
    scenario = Scenario("B2a", "Slider save", "a score", (save,))
    connection = connections["default"]
    commit = connection._commit

    def slow_commit():
        time.sleep(0.02)
        return commit()

    connection._commit = slow_commit
    try:
        found = database._floor(scenario, {user.username: user})
    finally:
        vars(connection).pop("_commit", None)
    assert 20 <= found["database_ms"] < found["request_ms"]


def test_a_scenario_answered_otherwise_than_expected_is_not_split(user):
    missing = Spec(user.username, "GET", "/opportunities/999999/")
    scenario = Scenario("B3a", "Opportunity page", "the scoring page", (missing,))
    assert database._floor(scenario, {user.username: user}) == {}
    assert "_commit" not in vars(connections["default"])
    assert settings.PAGE_CACHE_SECONDS  # the cache, turned off to draw, is back on


def test_the_run_reads_a_floor_and_the_baseline_beside_it_from_the_inspection():
    from bench.run import _floor_of

    inspected = {
        "floor": {
            "request_ms": 9.0,
            "database_ms": 2.0,
            "templates_ms": 4.0,
            "beside": {"request_ms": 2.0, "database_ms": 0.5, "templates_ms": 0.0},
        }
    }
    assert _floor_of(inspected) == Floor(9.0, 2.0, templates_ms=4.0)
    assert _floor_of(inspected["floor"], "beside") == Floor(2.0, 0.5)
    assert _floor_of({"floor": {}}) is None  # a scenario answered otherwise
    assert _floor_of({"floor": {"request_ms": 9.0, "database_ms": 2.0}}, "beside") is None
