from django.urls import path

from compliance import views

app_name = "compliance"

H = "h/<slug:hub_slug>/compliance/"

urlpatterns = [
    path(H, views.record_list, name="records"),
    path(H + "add/", views.record_add, name="record_add"),
    path(H + "<int:record_id>/", views.record_detail, name="record"),
    path(H + "<int:record_id>/verify/", views.record_verify, name="record_verify"),
    path(H + "<int:record_id>/document/", views.record_document, name="record_document"),
]
