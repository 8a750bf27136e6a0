"""Where a request's time goes (``bench.profile``): each function's own time charged to
its layer of the stack, the standard library's to whoever called it."""

import cProfile
import dataclasses
import pstats

import pytest
from django.template import Context, Template

from bench import database, profile, report
from bench.specs import Scenario, Spec
from tests.bench.test_harness import results

SITE = "/srv/.venv/lib/python3.12/site-packages"
STDLIB = "/usr/lib/python3.12"


@pytest.mark.parametrize(
    ("filename", "layer"),
    [
        (f"{SITE}/psycopg/cursor.py", "database"),
        (f"{SITE}/django/db/backends/utils.py", "database"),
        (f"{SITE}/django/db/models/sql/compiler.py", "ORM"),
        (f"{SITE}/django/template/base.py", "templates"),
        (f"{SITE}/crispy_forms/templatetags/crispy_forms_filters.py", "templates"),
        (f"{SITE}/django/forms/boundfield.py", "templates"),
        ("/work/main/opportunities/templatetags/crossroads.py", "templates"),
        ("/work/main/opportunities/web/page_cache.py", "request"),
        ("/work/main/opportunities/web/quick_fields.py", "templates"),
        ("/work/main/opportunities/web/forms.py", "templates"),
        (f"{SITE}/django/contrib/sessions/backends/db.py", "request"),
        (f"{SITE}/django/middleware/csrf.py", "request"),
        (f"{SITE}/django_htmx/middleware.py", "request"),
        ("/work/main/opportunities/scoring/views.py", "app"),
        ("/work/main/opportunities/scoring/core.py", "app"),
        (f"{SITE}/django/utils/functional.py", None),
        (f"{SITE}/asgiref/local.py", None),
        (f"{SITE}/django/core/cache/backends/locmem.py", "other"),
        (f"{SITE}/aiohttp/client.py", "other"),
        (f"{STDLIB}/copy.py", None),
        ("~", None),
    ],
)
def test_each_file_belongs_to_its_layer(filename, layer):
    assert profile.layer_of(filename) == layer


def fn(filename: str, name: str = "f") -> profile.FunctionKey:
    return (filename, 1, name)


TEMPLATE = fn(f"{SITE}/django/template/base.py", "render")
ORM = fn(f"{SITE}/django/db/models/query.py", "__iter__")
VIEW = fn("/work/main/opportunities/scoring/views.py", "opportunity_detail")
ISINSTANCE = fn("~", "<built-in method builtins.isinstance>")
COPY = fn(f"{STDLIB}/copy.py", "copy")
DEEPCOPY = fn(f"{STDLIB}/copy.py", "deepcopy")


def entry(own: float, callers: dict | None = None) -> profile.Entry:
    """A ``pstats`` entry: each caller with the own time its calls cost."""
    return (1, 1, own, own, {key: (1, 1, spent, spent) for key, spent in (callers or {}).items()})


def test_a_built_in_is_charged_to_its_callers_by_what_each_spent_there():
    stats = {
        VIEW: entry(1.0),
        TEMPLATE: entry(4.0, {VIEW: 4.0}),
        ORM: entry(2.0, {VIEW: 2.0}),
        ISINSTANCE: entry(3.0, {TEMPLATE: 2.0, ORM: 1.0}),
    }
    totals = profile.shares(stats)
    assert totals["templates"] == pytest.approx(6.0)
    assert totals["ORM"] == pytest.approx(3.0)
    assert totals["app"] == pytest.approx(1.0)
    assert sum(totals.values()) == pytest.approx(10.0)  # nothing lost, nothing counted twice


def test_the_standard_library_is_followed_up_to_a_layer_and_cycles_end():
    # copy → deepcopy → copy (a cycle), reached from the ORM only.
    stats = {
        ORM: entry(1.0),
        COPY: entry(2.0, {ORM: 1.5, DEEPCOPY: 0.5}),
        DEEPCOPY: entry(1.0, {COPY: 1.0}),
    }
    totals = profile.shares(stats)
    assert totals["ORM"] == pytest.approx(4.0)
    assert sum(totals.values()) == pytest.approx(4.0)


def test_time_with_no_caller_to_hand_it_to_is_other():
    totals = profile.shares({COPY: entry(2.0), VIEW: entry(1.0)})
    assert totals["other"] == pytest.approx(2.0)
    assert totals["app"] == pytest.approx(1.0)
    assert set(totals) == set(profile.LAYERS)


def test_percentages_add_up_to_a_hundred_and_survive_an_empty_profile():
    shares = profile.percentages({"database": 1.0, "templates": 3.0})
    assert shares["templates"] == pytest.approx(75.0)
    assert sum(shares.values()) == pytest.approx(100.0)
    assert profile.percentages({}) == dict.fromkeys(profile.LAYERS, 0.0)


def test_a_real_template_render_is_mostly_the_template_engine():
    template = Template("{% for item in items %}<li>{{ item.name|upper }}</li>{% endfor %}")
    items = [{"name": f"option {n}"} for n in range(2000)]
    profiler = cProfile.Profile()
    profiler.enable()
    template.render(Context({"items": items}))
    profiler.disable()
    shares = profile.percentages(profile.shares(pstats.Stats(profiler).stats))  # type: ignore[attr-defined]
    assert shares["templates"] > 60, shares
    # No query is made; a finaliser left by an earlier test may run meanwhile, no more.
    assert shares["database"] + shares["ORM"] < 1, shares


def test_the_report_shows_each_profiled_scenario_beside_its_verdict():
    results_ = results(slider_p95=8.0, slider_rps=200)  # a slider save that misses
    assert "## Where the time goes" not in report.render(results_)  # none profiled
    slider = results_.measured[1]
    layers = dict(zip(profile.LAYERS, (22.4, 30.0, 5.0, 25.0, 12.6, 5.0), strict=True))
    results_.measured[1] = dataclasses.replace(slider, layers=layers)
    markdown = report.render(results_)
    section = markdown.split("## Where the time goes, drawn (in-process, cProfile)")[1]
    assert "| | Scenario | database | ORM | templates | request | app | other | Budget |" in section
    assert "| B2a | Slider save | 22 | 30 | 5 | 25 | 13 | 5 | ❌ missed |" in section
    assert "| B1 |" not in section.split("##")[0]


# --- In the bench: a scenario's sampled requests, profiled -----------------------------------


def test_a_drawn_page_is_profiled_layer_by_layer_through_the_whole_stack(user, opportunity):
    spec = Spec(user.username, "GET", opportunity.get_absolute_url())
    scenario = Scenario("B3a", "Opportunity page", "the scoring page", (spec, spec))
    layers = database._where_the_time_goes(scenario, {user.username: user})
    assert set(layers) == set(profile.LAYERS)
    assert sum(layers.values()) == pytest.approx(100.0)
    for layer in ("database", "ORM", "templates", "request", "app"):
        assert layers[layer] > 0.5, (layer, layers)


def test_a_scenario_answered_otherwise_than_expected_is_not_profiled(user):
    missing = Spec(user.username, "GET", "/opportunities/999999/")
    scenario = Scenario("B3a", "Opportunity page", "the scoring page", (missing,))
    assert database._where_the_time_goes(scenario, {user.username: user}) == {}
