from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("h/<slug:hub_slug>/notifications/", views.feed, name="feed"),
    path("h/<slug:hub_slug>/notifications/read/", views.mark_read, name="mark_read"),
    path("h/<slug:hub_slug>/notifications/preferences/", views.preferences, name="preferences"),
]
