"""URLs for scoring a call's proposals (included from config/urls.py)."""

from django.urls import path

from commissioning.scoring import views as views

app_name = "scoring"
CALL = "h/<slug:hub_slug>/calls/<int:call_id>/"
PROPOSAL = CALL + "scoring/<int:proposal_id>/"
urlpatterns = [
    path(CALL + "scoring/", views.overview, name="overview"),
    path(CALL + "scoring/panel/", views.panel, name="panel"),
    path(CALL + "scoring/panel/remove/", views.panel_remove, name="panel_remove"),
    path(PROPOSAL, views.score, name="score"),
    path(PROPOSAL + "declare/", views.declare, name="declare"),
    path(PROPOSAL + "files/<int:attachment_id>/", views.attachment, name="attachment"),
    path(PROPOSAL + "moderate/", views.moderate, name="moderate"),
    path(CALL + "results/", views.results, name="results"),
    path(CALL + "results/award/", views.award, name="award"),
]
