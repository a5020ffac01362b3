"""URLs for needs pages (included from config/urls.py)."""

from django.urls import path

from commissioning.needs import views as views

app_name = "needs"
NEED = "h/<slug:hub_slug>/needs/<int:pk>/need/<int:need_pk>/"
urlpatterns = [
    path("h/<slug:hub_slug>/needs/", views.analysis_list, name="list"),
    path("h/<slug:hub_slug>/needs/new/", views.analysis_create, name="create"),
    path("h/<slug:hub_slug>/needs/<int:pk>/", views.analysis_detail, name="detail"),
    path("h/<slug:hub_slug>/needs/<int:pk>/edit/", views.analysis_edit, name="edit"),
    path("h/<slug:hub_slug>/needs/<int:pk>/add-need/", views.need_add, name="need_add"),
    path(NEED, views.need_detail, name="need"),
    path(NEED + "edit/", views.need_edit, name="need_edit"),
    path(NEED + "targets/", views.target_add, name="target_add"),
    path(NEED + "open-commission/", views.commission_open, name="commission_open"),
]
