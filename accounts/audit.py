"""What the audit log records of each model staff work on (django-auditlog).

Every create, change and delete of these models is one entry with who, when, from which
address and what changed. Left out: the rows the site writes for itself in bulk (rate
limit counts, link tokens, owed emails, deliveries, the development mailbox), whose
history is their own. Secrets are never recorded, and personal data only masked
(core.audit.masked): that it changed, never the value, so that erasing a person leaves
nothing of them in the changes. An entry's object_repr is the object's name at the time;
for a contact that is the person's name, for a suppression its address.
"""

from auditlog.registry import auditlog
from django.apps import apps

MASK = "core.audit.masked"

# app label, model → register() options.
MODELS = {
    ("statements", "Statement"): {
        # The private co-sign link's key is a secret; the translation's copy of the
        # original's text and the update time change with every save and say nothing.
        "exclude_fields": ["cosign_key", "source_text", "updated_at"],
    },
    ("statements", "Demand"): {},
    ("statements", "Quote"): {},
    ("statements", "PressContact"): {},
    ("statements", "RelatedLink"): {},
    ("statements", "Signature"): {
        "mask_fields": ["signer_name", "signer_title", "signer_email", "signer_phone", "message"],
    },
    # The moderation queue's rows are signatures, saved through their proxy.
    ("statements", "PendingSignature"): {
        "mask_fields": ["signer_name", "signer_title", "signer_email", "signer_phone", "message"],
    },
    # A version's content is the whole text, kept in the version itself.
    ("statements", "Version"): {"exclude_fields": ["content"]},
    ("statements", "SignoffRequest"): {},
    ("statements", "PrivacyNotice"): {"exclude_fields": ["updated_at"]},
    ("statements", "StatementUpdate"): {},
    ("organizations", "Organization"): {},
    ("organizations", "Contact"): {"mask_fields": ["name", "email", "phone"]},
    ("organizations", "PressList"): {},
    ("organizations", "Suppression"): {"mask_fields": ["email"]},
    ("campaigns", "Campaign"): {},
    ("campaigns", "CallToAction"): {},
    ("press", "Distribution"): {"m2m_fields": ["press_lists"]},
    ("auth", "User"): {
        # The password's hash is a secret; each sign-in would be a change.
        "exclude_fields": ["password", "last_login"],
        "m2m_fields": ["groups", "user_permissions"],
    },
    ("auth", "Group"): {"m2m_fields": ["permissions"]},
}


def audited_models_register() -> None:
    for (app_label, model_name), options in MODELS.items():
        model = apps.get_model(app_label, model_name)
        options = dict(options)
        if "mask_fields" in options:
            options["mask_callable"] = MASK
        # A creation would otherwise list every reverse relation ("answers:
        # SignoffAnswer.None"), which holds nothing of the object.
        reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
        options["exclude_fields"] = [*options.get("exclude_fields", []), *reverse]
        auditlog.register(model, **options)
