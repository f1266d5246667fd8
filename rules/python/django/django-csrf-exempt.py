from django.http import HttpResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect


# ruleid: python.django.django-csrf-exempt
@csrf_exempt
def update_profile(request):
    return HttpResponse("ok")


def transfer(request):
    return HttpResponse("ok")


urlpatterns = [
    # ruleid: python.django.django-csrf-exempt
    path("transfer/", csrf_exempt(transfer)),
]


# ruleid: python.django.django-csrf-exempt
@method_decorator(csrf_exempt, name="dispatch")
class PaymentView(View):
    def post(self, request):
        return HttpResponse("ok")


# ok: python.django.django-csrf-exempt
@csrf_protect
def update_email(request):
    return HttpResponse("ok")


# ok: python.django.django-csrf-exempt
def show_profile(request):
    return HttpResponse("ok")
