"""Every URL of the app, and /boom/: a page that fails with personal data in
its exception, its local variables and its request (for the error-report and
log tests, which run the app in a subprocess with these URLs)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as app_urlpatterns


@csrf_exempt
def boom(request: HttpRequest) -> HttpResponse:
    contact_name = request.POST.get("name")  # a local variable: never sent
    raise ValueError(f"no partner for {request.POST.get('email')} ({len(contact_name)})")


urlpatterns = [path("boom/", boom, name="boom"), *app_urlpatterns]
