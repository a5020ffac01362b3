"""The project's URLs plus the benchmark's floor page (config/settings/bench.py)."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from scale.views import floor

urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    *project_urlpatterns,
]
