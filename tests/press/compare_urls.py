"""The site's addresses, with a stand-in for the public comparison of two versions
(`statement_compare`, which the corrections' work of issue 17 adds): the correction
notice links to it, and until that work is merged nothing else answers to the name."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_patterns

urlpatterns = [
    *site_patterns,
    path(
        "statements/<str:slug>/compare/<int:old>/<int:new>/",
        lambda request, **kwargs: HttpResponse(),
        name="statement_compare",
    ),
]
