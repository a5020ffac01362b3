from django.urls import path

from procurement import views

app_name = "procurement"
COMMISSION = "h/<slug:hub_slug>/commissions/<str:reference>/procurement/"
urlpatterns = [
    path(COMMISSION, views.commission_procurement, name="commission"),
    path(f"{COMMISSION}record/", views.procurement_record, name="record"),
    path(f"{COMMISSION}departure/approve/", views.departure_approve, name="approve_departure"),
    path(f"{COMMISSION}value/", views.value_change, name="value_change"),
    path("h/<slug:hub_slug>/procurement/notices/", views.notices, name="notices"),
    path(
        "h/<slug:hub_slug>/procurement/notices/<int:pk>/ocds.json",
        views.notice_ocds,
        name="notice_ocds",
    ),
    path(
        "h/<slug:hub_slug>/procurement/notices/<int:pk>/published/",
        views.notice_publish,
        name="notice_publish",
    ),
    path(
        "h/<slug:hub_slug>/procurement/transparency/", views.transparency_page, name="transparency"
    ),
    path(
        "h/<slug:hub_slug>/procurement/transparency/<slug:kind>.csv",
        views.transparency_csv,
        name="transparency_csv",
    ),
]
