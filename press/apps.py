from django.apps import AppConfig


class PressConfig(AppConfig):
    name = "press"

    def ready(self):
        from press import checks, receivers

        checks.register()
        receivers.connect()
