from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from commissioning import views as commission_views
from config.health import health
from hubs import views as hub_views

admin.site.site_header = "hubcommission administration"
admin.site.site_title = "hubcommission"

urlpatterns = [
    path("", commission_views.home, name="home"),
    path("healthz/", hub_views.healthz, name="healthz"),
    path("health/", health, name="health"),
    path("accessibility/", hub_views.accessibility, name="accessibility"),
    path("", include("hubs.urls")),
    path("", include("partners.urls")),
    path("", include("partners.directory.urls")),
    path("", include("commissioning.hub_documents")),
    path("", include("commissioning.urls")),
    path("", include("commissioning.needs.urls")),
    path("", include("commissioning.calls.urls")),
    path("", include("commissioning.joint_urls")),
    path("", include("commissioning.scoring.urls")),
    path("", include("commissioning.record_urls")),
    path("", include("agreements.urls")),
    path("", include("monitoring.urls")),
    path("", include("contracts.urls")),
    path("", include("compliance.urls")),
    path("", include("notices.urls")),
    path("", include("oversight.urls")),
    path("", include("procurement.urls")),
    path("api/v1/", include("api.urls")),
    # Ours first: they replace a few of allauth's and the admin's pages.
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", account_views.admin_login),
    path("admin/", admin.site.urls),
]
