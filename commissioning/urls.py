from django.urls import path

from commissioning import views

app_name = "commissioning"
urlpatterns = [
    path("h/<slug:hub_slug>/", views.dashboard, name="dashboard"),
    path("h/<slug:hub_slug>/commissions/", views.commission_list, name="list"),
    path("h/<slug:hub_slug>/commissions/<str:reference>/", views.commission_detail, name="detail"),
    path(
        "h/<slug:hub_slug>/commissions/<str:reference>/move/",
        views.commission_move,
        name="move",
    ),
]
