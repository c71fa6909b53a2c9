from django.contrib.admin.apps import AdminConfig


class JointlyAdminConfig(AdminConfig):
    """Django's admin with our site (config.admin), loaded once the models are."""

    default_site = "config.admin.JointlyAdminSite"
