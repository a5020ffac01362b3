from django.urls import path

from hubs import views

app_name = "hubs"
urlpatterns = [
    path("hubs/", views.hub_index, name="index"),
    path("hubs/<slug:hub_slug>/policy/", views.policy_detail, name="policy"),
]
