from django.urls import path

from commissioning import record_views

app_name = "records"

BASE = "h/<slug:hub_slug>/commissions/<str:reference>/record/"

urlpatterns = [
    path(BASE + "new/", record_views.record_new, name="add"),
    path(BASE + "<int:pk>/file/", record_views.record_file, name="file"),
]
