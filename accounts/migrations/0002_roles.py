"""The four staff roles as groups: editor, publisher, press officer, moderator.

The lists are spelled out here, not imported, so that this migration keeps meaning
what it meant when it ran; a later change of a role is a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = "view"

# app label → model → the actions of Django's model permissions.
EDITOR = {
    "statements": {
        # "delete" deletes only what holds no record (a draft nobody outside answered, a
        # row of its organizations): statements.services.deletion refuses the rest.
        "statement": ["add", "change", "delete", VIEW, "request_signoff"],
        "demand": ["add", "change", "delete", VIEW],
        "quote": ["add", "change", "delete", VIEW],
        "relatedlink": ["add", "change", "delete", VIEW],
        "presscontact": ["add", "change", "delete", VIEW],
        "signature": ["add", "change", "delete", VIEW],
        "version": [VIEW],
        "signoffrequest": [VIEW],
        "signoffanswer": [VIEW],
        "signoffevent": [VIEW],
        "privacynotice": ["add", "change", VIEW],
    },
    "campaigns": {
        "campaign": ["add", "change", VIEW],
        "calltoaction": ["add", "change", "delete", VIEW],
    },
    "organizations": {
        "organization": ["add", "change", VIEW],
        "contact": ["add", "change", VIEW],
    },
}
PUBLISHER_MORE = {
    "statements": {
        "statement": ["publish_statement", "override_signoff", "correct_statement"],
    },
    "auditlog": {"logentry": [VIEW]},
}
# Each role also views what its pages link to (a statement's campaign, say).
PRESS_OFFICER = {
    "statements": {"statement": [VIEW], "presscontact": [VIEW]},
    "campaigns": {"campaign": [VIEW]},
    "organizations": {
        "organization": [VIEW],
        "contact": ["add", "change", VIEW, "import_contact", "export_contact"],
        "presslist": ["add", "change", "delete", VIEW],
        # Suppressions are added and lifted, never edited: "change" is the lifting.
        "suppression": ["add", "change", VIEW],
    },
    "press": {
        "distribution": ["add", "change", VIEW, "send_distribution"],
        "delivery": [VIEW],
        "staffcopy": [VIEW],
    },
}
MODERATOR = {
    "statements": {
        "statement": [VIEW],
        "signature": ["add", "change", VIEW, "moderate_signature", "export_signature"],
        "pendingsignature": ["change", VIEW],
        "signatureevent": [VIEW],
    },
    "campaigns": {"campaign": [VIEW]},
    "organizations": {"organization": ["add", VIEW]},
}


def _merged(*grants):
    merged = {}
    for grant in grants:
        for app_label, models in grant.items():
            for model, actions in models.items():
                merged.setdefault(app_label, {}).setdefault(model, []).extend(actions)
    return merged


ROLES = {
    "Editor": EDITOR,
    "Publisher": _merged(EDITOR, PUBLISHER_MORE),
    "Press officer": PRESS_OFFICER,
    "Moderator": MODERATOR,
}


def _codename(action: str, model: str) -> str:
    return f"{action}_{model}" if action in {"add", "change", "delete", VIEW} else action


def roles_create(apps, schema_editor):
    # Permissions are otherwise made after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grant in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, models in grant.items():
            for model, actions in models.items():
                for action in actions:
                    group.permissions.add(
                        Permission.objects.get(
                            content_type__app_label=app_label,
                            content_type__model=model,
                            codename=_codename(action, model),
                        )
                    )


def roles_remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_staff_accounts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auditlog", "0017_add_actor_email"),
        ("campaigns", "0003_languages_and_labels"),
        ("organizations", "0005_staff_accounts"),
        ("press", "0004_staff_accounts"),
        ("statements", "0007_staff_accounts"),
    ]

    operations = [migrations.RunPython(roles_create, roles_remove)]
