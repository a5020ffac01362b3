from django.urls import path

from agreements import joint_views, views
from agreements.views import streams as stream_views
from agreements.views import variations as variation_views

app_name = "agreements"

BASE = "h/<slug:hub_slug>/commissions/<str:reference>/agreement/"
ONE = BASE + "<int:period>/"

urlpatterns = [
    path(BASE, views.agreement_create, name="create"),
    path(ONE, views.agreement_detail, name="detail"),
    path(ONE + "edit/", views.agreement_edit, name="edit"),
    path(ONE + "payments/", views.schedule_edit, name="schedule"),
    path(ONE + "payments/<int:instalment_id>/", views.instalment_action, name="instalment"),
    path(ONE + "versions/", views.versions, name="versions"),
    path(ONE + "step/", views.agreement_step, name="step"),
    path(ONE + "decision/", views.agreement_decide, name="decide"),
    path(ONE + "comments/", views.comment_add, name="comment"),
    path(ONE + "comments/<int:comment_id>/response/", views.comment_respond, name="respond"),
    path(ONE + "sign/", views.sign, name="sign"),
    path(ONE + "countersign/", views.countersign, name="countersign"),
    path(ONE + "co-sign/", joint_views.co_sign, name="co_sign"),
    path(ONE + "pdf/", views.pdf, name="pdf"),
    path(ONE + "renew/", views.renew, name="renew"),
    path(ONE + "payments/funding/", stream_views.streams_edit, name="streams"),
    path(ONE + "variations/new/", variation_views.variation_new, name="variation_new"),
    path(ONE + "variations/<int:number>/", variation_views.variation_detail, name="variation"),
    path(
        ONE + "variations/<int:number>/comment/",
        variation_views.variation_comment,
        name="variation_comment",
    ),
    path(
        ONE + "variations/<int:number>/decision/",
        variation_views.variation_decide,
        name="variation_decide",
    ),
    path(
        ONE + "variations/<int:number>/sign/",
        variation_views.variation_sign,
        name="variation_sign",
    ),
    path(
        ONE + "variations/<int:number>/withdraw/",
        variation_views.variation_withdraw,
        name="variation_withdraw",
    ),
]
