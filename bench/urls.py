"""The app's URLs, plus the benchmark's floor (``/bench/baseline/``)."""

from django.urls import path

from bench.views import baseline
from config.urls import handler404, handler500
from config.urls import urlpatterns as app_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]

urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *app_urlpatterns]
