from django.db import migrations, models

from core.names import organization_sort_name


def sort_names_fill(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    organizations = list(Organization.objects.only("pk", "name"))
    for organization in organizations:
        organization.sort_name = organization_sort_name(organization.name)
    Organization.objects.bulk_update(organizations, ["sort_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_staff_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="sort_name",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(sort_names_fill, migrations.RunPython.noop),
    ]
