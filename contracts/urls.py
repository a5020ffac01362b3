from django.urls import path

from contracts.views import kpis, risks

app_name = "contracts"

H = "h/<slug:hub_slug>/contracts/"
P = H + "partnerships/<str:reference>/"
A = P + "agreements/<int:period>/kpis/"

urlpatterns = [
    path(A, kpis.agreement_kpis, name="agreement_kpis"),
    path(A + "add/", kpis.kpi_add, name="kpi_add"),
    path(A + "<int:kpi_id>/remove/", kpis.kpi_remove, name="kpi_remove"),
    path(H + "reports/<int:report_id>/kpis/", kpis.report_kpis_page, name="report_kpis"),
    path(H + "reports/<int:report_id>/kpis/values/", kpis.kpi_returns, name="kpi_returns"),
    path(H + "reports/<int:report_id>/kpis/rate/", kpis.kpi_rate, name="kpi_rate"),
    path(P + "risks/", risks.commission_risks, name="commission_risks"),
    path(P + "risks/add/", risks.risk_raise, name="risk_raise"),
    path(H + "risks/", risks.register, name="risk_register"),
    path(H + "risks/<int:risk_id>/", risks.risk_detail, name="risk"),
    path(H + "risks/<int:risk_id>/review/", risks.risk_review, name="risk_review"),
]
