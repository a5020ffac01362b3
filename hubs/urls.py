from django.urls import path

from hubs import views
from hubs.policy_life import views as life

app_name = "hubs"
urlpatterns = [
    path("hubs/", views.hub_index, name="index"),
    path("hubs/<slug:hub_slug>/policy/", views.policy_detail, name="policy"),
    path(
        "hubs/<slug:hub_slug>/policy/consultation/<int:version>/",
        life.policy_consultation,
        name="policy_consultation",
    ),
    path(
        "h/<slug:hub_slug>/policy/versions/<int:version>/", life.policy_draft, name="policy_draft"
    ),
    path("h/<slug:hub_slug>/policy/reviews/", life.policy_reviews, name="policy_reviews"),
]
