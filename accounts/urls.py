from django.urls import path

from accounts import views
from accounts.invitations import views as invitation_views
from accounts.registration import views as registration_views

app_name = "accounts"
urlpatterns = [
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    # Replaces allauth's page at the same address; reverse("mfa_activate_totp")
    # still finds it, so it needs no name of its own.
    path("2fa/totp/activate/", views.activate_totp),
    path("invitation/<str:token>/", invitation_views.invitation, name="invitation"),
    path("register/", registration_views.register, name="register"),
]
