"""/api/v1/: the OpenAPI document and each hub's endpoints. (No docs page: the
usual ones load their scripts from a CDN, which the Content-Security-Policy
rightly refuses; any OpenAPI viewer reads the document.)"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import views as v

app_name = "api"

H = "hubs/<slug:hub_slug>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(H + "commissions/", v.CommissionList.as_view(), name="commissions"),
    path(H + "commissions/<str:reference>/", v.CommissionDetail.as_view(), name="commission"),
    path(H + "partners/", v.PartnerList.as_view(), name="partners"),
    path(H + "partners/<int:pk>/", v.PartnerDetail.as_view(), name="partner"),
    path(H + "calls/", v.CallList.as_view(), name="calls"),
    path(H + "calls/<int:pk>/", v.CallDetail.as_view(), name="call"),
    path(H + "agreements/", v.AgreementList.as_view(), name="agreements"),
    path(H + "agreements/<int:pk>/", v.AgreementDetail.as_view(), name="agreement"),
    path(H + "payments/", v.PaymentList.as_view(), name="payments"),
    path(H + "payments/<int:pk>/", v.PaymentDetail.as_view(), name="payment"),
    path(H + "payments/<int:pk>/paid/", v.PaymentMarkPaid.as_view(), name="payment_paid"),
    path(H + "reports/", v.ReportList.as_view(), name="reports"),
    path(H + "reports/<int:pk>/", v.ReportDetail.as_view(), name="report"),
    path(H + "reports/<int:pk>/submit/", v.ReportSubmit.as_view(), name="report_submit"),
    path(H + "register/", v.RegisterList.as_view(), name="register"),
    path(H + "register/<str:reference>/", v.RegisterDetail.as_view(), name="register_entry"),
    # Last: whatever else is asked under /api/v1/ is a 404 in the API's shape.
    re_path(r"", v.NotFound.as_view()),
]
