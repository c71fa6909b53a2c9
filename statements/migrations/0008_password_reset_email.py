# The password reset email owed to a staff member (issue 14).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('statements', '0007_roles_permissions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='outgoingemail',
            name='kind',
            field=models.CharField(choices=[('signature_confirmation', 'Co-sign: confirm your signature'), ('signature_listed', 'Co-sign: you are listed'), ('cosign_digest', 'Co-sign: digest for staff'), ('signoff_request', 'Sign-off: please approve'), ('signoff_reminder', 'Sign-off: reminder'), ('signoff_release', 'Sign-off: published'), ('publication_held', 'Publishing: scheduled publication held back'), ('press_test', 'Press: test copy for staff'), ('password_reset', 'Staff: password reset')], max_length=40, verbose_name='kind'),
        ),
    ]
