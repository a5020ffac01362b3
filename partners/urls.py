"""URLs for partners' own pages (included from config/urls.py)."""

from django.urls import path

from partners.registration import views as registration

app_name = "partners"
urlpatterns = [
    path("hubs/<slug:hub_slug>/join/", registration.join, name="join"),
]
