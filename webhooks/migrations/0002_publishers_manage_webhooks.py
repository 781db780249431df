from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    from webhooks.roles import grant

    app_config = apps.get_app_config("webhooks")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_endpoints_and_messages"), ("releases", "__first__")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
