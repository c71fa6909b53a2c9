"""After release: the publisher posts updates (they are public and emailed) and delivers
statements to decision makers; every role reads the updates.

Spelled out, as in 0002_roles, so that this migration keeps meaning what it meant when
it ran.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# group name → app label → model → codenames added to the group.
GRANTS = {
    "Publisher": {
        "statements": {
            "statement": ["deliver_statement"],
            "statementupdate": ["add_statementupdate", "change_statementupdate", "view_statementupdate"],
            "targetdelivery": ["view_targetdelivery"],
        }
    },
    "Editor": {"statements": {"statementupdate": ["view_statementupdate"]}},
    "Press officer": {"statements": {"statementupdate": ["view_statementupdate"]}},
    "Moderator": {"statements": {"statementupdate": ["view_statementupdate"]}},
}


def _permissions(apps, app_label, model, codenames):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label=app_label, content_type__model=model, codename__in=codenames
    )


def grants_add(apps, schema_editor):
    # Permissions are otherwise made after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, grant in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, models in grant.items():
            for model, codenames in models.items():
                for codename in codenames:
                    # get(), not filter(): a permission missing is an error, not a no-op.
                    group.permissions.add(
                        _permissions(apps, app_label, model, [codename]).get()
                    )


def grants_remove(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GRANTS):
        for app_label, models in GRANTS[group.name].items():
            for model, codenames in models.items():
                group.permissions.remove(*_permissions(apps, app_label, model, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_individual_signers"),
        ("statements", "0009_after_release_updates"),
    ]

    operations = [migrations.RunPython(grants_add, grants_remove)]
