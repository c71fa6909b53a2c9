"""The one admin site: its names, the order of its apps, and its front page."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditHistoryAdmin
from press.workspace import workspace

# Staff work on statements; who may log in, and who was locked out, come last.
APP_ORDER = [
    "statements",
    "press",
    "organizations",
    "campaigns",
    "devmail",
    "accounts",
    "auditlog",
    "mfa",
    "auth",
    "axes",
]


class JointlyAdminSite(admin.AdminSite):
    site_header = _("Jointly")
    site_title = _("Jointly staff")
    index_title = _("Statements, organizations and campaigns")
    # The front page and the breadcrumbs lead to every list; on a 1280 px laptop the
    # sidebar would take a quarter of the width the lists need.
    enable_nav_sidebar = False

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every model's History is its audit log, whoever wrote its admin (Django's
        # users and groups, a library's): see core.admin.AuditHistoryAdmin.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditHistoryAdmin):
            admin_class = type(admin_class.__name__, (AuditHistoryAdmin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)

        def rank(app):
            label = app["app_label"]
            return (APP_ORDER.index(label) if label in APP_ORDER else len(APP_ORDER), label)

        return sorted(apps, key=rank)

    def login(self, request, extra_context=None):
        # The admin's own form would skip the second factor: allauth's sign-in asks for it.
        return secure_admin_login(super().login)(request, extra_context)

    def index(self, request, extra_context=None):
        context = {"workspace": workspace().seen_by(request.user)} | (extra_context or {})
        return super().index(request, context)
