from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "statements"

    def ready(self):
        from statements import checks

        checks.register()
