from django.urls import path

from monitoring.views import complaints, partnership, reports, reviews

app_name = "monitoring"

H = "h/<slug:hub_slug>/monitoring/"
P = H + "partnerships/<str:reference>/"

urlpatterns = [
    path(H + "reports/", reports.report_list, name="reports"),
    path(H + "reports/export.csv", reports.report_export, name="report_export"),
    path(H + "reports/<int:report_id>/", reports.report_detail, name="report"),
    path(H + "reports/<int:report_id>/edit/", reports.report_edit, name="report_edit"),
    path(H + "reports/<int:report_id>/autosave/", reports.report_autosave, name="report_autosave"),
    path(H + "reports/<int:report_id>/decide/", reports.report_decide, name="report_decide"),
    path(P, partnership.partnership, name="partnership"),
    path(P + "request/", partnership.report_request, name="report_request"),
    path(P + "reviews/", partnership.review_open, name="review_open"),
    path(P + "annual-review/", partnership.annual_review, name="annual_review"),
    path(P + "recommendation/", reviews.recommendation, name="recommendation"),
    path(P + "complaints/", partnership.complaint_log, name="complaint_log"),
    path(H + "reviews/<int:review_id>/", reviews.review_detail, name="review"),
    path(H + "reviews/<int:review_id>/act/", reviews.review_act, name="review_act"),
    path(H + "reviews/<int:review_id>/comments/", reviews.review_comment, name="review_comment"),
    path(
        H + "reviews/<int:review_id>/comments/<int:comment_id>/respond/",
        reviews.review_respond,
        name="review_respond",
    ),
    path(H + "complaints/", complaints.complaint_list, name="complaints"),
    path(H + "complaints/<int:complaint_id>/", complaints.complaint_detail, name="complaint"),
]
