from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "statements"

    def ready(self):
        # django-anymail reports an email service's webhooks (bounces, complaints)
        # through its tracking signal, once it has checked the service's signature.
        from anymail.signals import tracking

        from statements import press

        def tracked(sender, event, esp_name, **kwargs):
            press.delivery_tracked(
                event_type=event.event_type,
                message_id=event.message_id or "",
                recipient=event.recipient or "",
                detail=f"{esp_name}: {event.description or event.reject_reason or ''}",
            )

        tracking.connect(tracked, weak=False, dispatch_uid="statements.delivery_tracked")
