from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from statements.api import api

admin.site.site_header = "Jointly"
admin.site.site_title = "Jointly staff"
admin.site.index_title = "Statements, organizations and campaigns"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("anymail/", include("anymail.urls")),
    path("api/", api.urls),
    path("", include("statements.urls")),
]
# Uploaded logos and images: the front web server serves MEDIA_ROOT in production.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
