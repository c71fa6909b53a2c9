from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

import accounts.views
import front.urls
import press.urls
from core.http import cacheable

handler400 = "core.http.bad_request"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Signing in, two-factor enrolment and password reset (django-allauth), in the
    # admin's language (core.middleware.AdminLanguageMiddleware).
    path("accounts/email/", accounts.views.email_addresses),
    path("accounts/", include("allauth.urls")),
    # The language switcher posts here; the admin's choice is kept in a cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(front.urls.machine_patterns)),
    path("", include(press.urls.machine_patterns)),
]
# Pages people read, in their language: English at /…, Arabic at /ar/….
urlpatterns += i18n_patterns(
    # The public pages first: they take nearly every request.
    path("", include("front.urls")),
    path("", include("statements.urls")),
    path("", include("press.urls")),
    # Loaded by every public page: browsers and caches keep it an hour (it changes
    # only with a deployment).
    path(
        "jsi18n/",
        cacheable(JavaScriptCatalog.as_view(), max_age=3600),
        name="javascript_catalog",
    ),
    prefix_default_language=False,
)
# Uploaded logos and images: the front web server serves MEDIA_ROOT in production.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
