"""Every demo view module's routes, and `/__cases`, the catalogue of labelled endpoints."""

from cases import CASES
from django.http import JsonResponse
from django.urls import include, path


def list_cases(request):
    return JsonResponse(CASES, safe=False)


urlpatterns = [
    path("__cases", list_cases),
    path("", include("views_sources")),
    path("", include("views_injection")),
    path("", include("views_web")),
]
