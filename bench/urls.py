"""The site's URLs plus the two pages bench/page_speed.py compares it with."""

from inspect import unwrap

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from front.views import statement_detail


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [
    path("bench/hello/", hello),
    # The statement view without its page cache: what every visit would cost.
    # unwrap(), not __wrapped__: that is the page cache's own wrapper, which served this
    # "uncached" page from the cache.
    path("bench/uncached/<str:slug>/", unwrap(statement_detail)),
    # The site's own, added rather than included: Django refuses language prefixes
    # (i18n_patterns) in an included URLconf.
    *site_urlpatterns,
]
