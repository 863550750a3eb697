"""The product's URLs plus a trivial view: the same server, middleware and request, and
a view that does nothing, to compare the token endpoint against."""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from hiring.urls import urlpatterns as product_urlpatterns


@csrf_exempt
def trivial(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/trivial", trivial), *product_urlpatterns]
