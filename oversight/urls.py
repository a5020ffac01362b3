"""Oversight URLs. /hubs/... are public (no sign-in); /h/... are the hub's own."""

from django.urls import path

from oversight import views as v

app_name = "oversight"
PUBLIC = "hubs/<slug:hub_slug>/register/"
HUB = "h/<slug:hub_slug>/oversight/"
PACK = HUB + "board-packs/<int:pack_id>/"
urlpatterns = [
    path(PUBLIC, v.register, name="register"),
    path(PUBLIC + "360giving.json", v.giving_json, name="giving_json"),
    path(PUBLIC + "360giving.csv", v.giving_csv, name="giving_csv"),
    path(HUB, v.dashboard, name="dashboard"),
    path(HUB + "exports/<slug:kind>.csv", v.export_csv, name="export"),
    path(HUB + "policy-versions/", v.policy_versions, name="policy_versions"),
    path(HUB + "board-packs/", v.board_packs, name="board_packs"),
    path(PACK, v.board_pack, name="board_pack"),
    path(PACK + "status/", v.board_pack_status, name="board_pack_status"),
    path(PACK + "download/", v.board_pack_download, name="board_pack_download"),
]
