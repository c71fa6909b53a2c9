from django.apps import AppConfig


class PressConfig(AppConfig):
    name = "press"

    def ready(self):
        from press import receivers

        receivers.connect()
