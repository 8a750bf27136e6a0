"""The settings ``make bench`` runs Crossroads with: the deployed ones (``config.settings``,
production mode set by the environment), plus the bench as an app of its own, for its
baseline view and its data generator (``manage.py generate_bench_data``)."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
