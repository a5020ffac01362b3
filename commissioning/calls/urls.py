"""URLs for calls pages (included from config/urls.py).

/hubs/... are public (no sign-in); /h/... are the hub's own pages."""

from django.urls import path

from commissioning.calls import changes_views as ch
from commissioning.calls import eoi_views as e
from commissioning.calls import invitations_views as inv
from commissioning.calls import questions_views as q
from commissioning.calls import views as v

app_name = "calls"
PUBLIC = "hubs/<slug:hub_slug>/calls/"
CALL = "h/<slug:hub_slug>/calls/<int:call_id>/"
EOI = "h/<slug:hub_slug>/eoi/<int:proposal_id>/"
urlpatterns = [
    path(PUBLIC, v.public_call_list, name="public_list"),
    path(PUBLIC + "<int:call_id>/", v.public_call_detail, name="public_detail"),
    path(PUBLIC + "<int:call_id>/documents/<int:document_id>/", v.call_document, name="document"),
    path(PUBLIC + "<int:call_id>/invited/<str:token>/", inv.call_invited, name="invited"),
    path("h/<slug:hub_slug>/calls/", v.call_list, name="index"),
    path(CALL, v.call_detail, name="detail"),
    path(CALL + "proposals/", v.call_proposal_list, name="proposals"),
    path(CALL + "invitations/", inv.call_invitations, name="invitations"),
    path(CALL + "close/", ch.call_close, name="close"),
    path(CALL + "extend/", ch.call_extend, name="extend"),
    path(CALL + "questions/", q.question_ask, name="ask"),
    path(CALL + "questions/<int:question_id>/answer/", q.question_answer, name="answer"),
    path(CALL + "express-interest/", e.eoi_start, name="eoi_start"),
    path("h/<slug:hub_slug>/commissions/<str:reference>/call/", v.call_publish, name="publish"),
    path(EOI, e.proposal_detail, name="proposal"),
    path(EOI + "edit/", e.eoi_edit, name="eoi_edit"),
    path(EOI + "autosave/", e.eoi_autosave, name="eoi_autosave"),
    path(EOI + "withdraw/", e.eoi_withdraw, name="eoi_withdraw"),
    path(EOI + "files/<int:attachment_id>/", e.proposal_attachment, name="attachment"),
]
