from django.contrib import admin
from django.urls import include, path

from hubs import views as hub_views

admin.site.site_header = "hubcommission administration"
admin.site.site_title = "hubcommission"

urlpatterns = [
    path("", hub_views.home, name="home"),
    path("healthz/", hub_views.healthz, name="healthz"),
    path("hubs/", include("hubs.urls")),
    path("admin/", admin.site.urls),
]
