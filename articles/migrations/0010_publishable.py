"""Articles take the shared publishing model (media.models.Publishable): its constraint names."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_related_list'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='article',
            name='published_article_has_publish_time',
        ),
        migrations.AlterField(
            model_name='article',
            name='publish_at',
            field=models.DateTimeField(blank=True, help_text='A future time schedules it; it appears by itself then.', null=True, verbose_name='publish at'),
        ),
        migrations.AlterField(
            model_name='article',
            name='unpublish_at',
            field=models.DateTimeField(blank=True, help_text='Optional: it is hidden again from this time.', null=True, verbose_name='unpublish at'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'published'), _negated=True), ('publish_at__isnull', False), _connector='OR'), name='article_published_has_time'),
        ),
    ]
