"""Individual signatories: the roles that add signatures by hand may import them too.

Spelled out, as in 0002_roles, so that this migration keeps meaning what it meant when
it ran. The publisher is an editor who also publishes, so it is given what editors are.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# group name → app label → model → codenames added to the group.
GRANTS = {
    "Editor": {"statements": {"signature": ["import_signature"]}},
    "Publisher": {"statements": {"signature": ["import_signature"]}},
    "Moderator": {"statements": {"signature": ["import_signature"]}},
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
        ("accounts", "0002_roles"),
        ("statements", "0008_signatory_list"),
    ]

    operations = [migrations.RunPython(grants_add, grants_remove)]
