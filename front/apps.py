from django.apps import AppConfig


class FrontConfig(AppConfig):
    """Every page anyone can read; no models of its own."""

    name = "front"
