from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Jointly"
admin.site.site_title = "Jointly staff"
admin.site.index_title = "Statements, organizations and campaigns"

handler400 = "core.http.bad_request"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The public pages first: they take nearly every request.
    path("", include("front.urls")),
    path("", include("statements.urls")),
    path("", include("press.urls")),
]
# Uploaded logos and images: the front web server serves MEDIA_ROOT in production.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
