"""A joint bid's partners pages (included from config/urls.py)."""

from django.urls import path

from commissioning import joint_views as v

app_name = "joint"
BID = "h/<slug:hub_slug>/eoi/<int:proposal_id>/partners/"
urlpatterns = [
    path(BID, v.bid_partners, name="partners"),
    path(BID + "<int:link_id>/confirm/", v.confirm, name="confirm"),
    path(BID + "<int:link_id>/remove/", v.remove, name="remove"),
]
