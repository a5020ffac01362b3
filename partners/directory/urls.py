"""URLs of the hub's partner directory (included from config/urls.py)."""

from django.urls import path

from partners.directory import meeting_views as meetings
from partners.directory import standing_views as standing
from partners.directory import views as v

app_name = "directory"
H = "h/<slug:hub_slug>/partners/"
P = H + "<int:partner_id>/"
urlpatterns = [
    path(H, v.directory, name="index"),
    path(H + "add/", v.partner_add, name="add"),
    path(P, v.partner_detail, name="detail"),
    path(P + "contacts/add/", v.contact_add, name="contact_add"),
    path(P + "contacts/people/add/", v.contact_person_add_page, name="contact_person_add"),
    path(P + "notes/", v.note_add, name="note_add"),
    path(P + "official/", standing.mark_official, name="official"),
    path(P + "former/", standing.mark_former, name="former"),
    path(P + "merge/", standing.merge, name="merge"),
    path(P + "meetings/request/", meetings.meeting_request, name="meeting_request"),
    path(P + "meetings/record/", meetings.meeting_record, name="meeting_record"),
]
