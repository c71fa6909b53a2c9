"""The site's URLs plus the two pages bench/page_speed.py compares it with."""

from django.http import HttpResponse
from django.urls import include, path

from front.views import statement_detail


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [
    path("bench/hello/", hello),
    # The statement view without its page cache: what every visit would cost.
    path("bench/uncached/<str:slug>/", statement_detail.__wrapped__),
    path("", include("config.urls")),
]
