from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bpms', '0004_list_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='externaltask',
            index=models.Index(condition=models.Q(('builtin', False)), fields=['topic', 'created_at', 'id'], name='external_task_fetch_fifo'),
        ),
        migrations.RemoveIndex(
            model_name='eventsubscription',
            name='subscription_variables',
        ),
        migrations.AddIndex(
            model_name='eventsubscription',
            index=GinIndex(fastupdate=False, fields=['variables'], name='subscription_variables', opclasses=['jsonb_path_ops']),
        ),
    ]
