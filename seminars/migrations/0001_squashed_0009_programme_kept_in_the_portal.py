"""seminars 0001–0009 as one migration: the tables as they are after it. A new database runs this one; a database
that has run the replaced migrations records it as run. (Their data migrations only filled tables that a new
database has empty.) The replaced files stay until every database has run them."""

import core.validators
import django.db.models.deletion
import seminars.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('seminars', '0001_initial'),
        ('seminars', '0002_proposal_search_key'),
        ('seminars', '0003_version'),
        ('seminars', '0004_organiser_commune'),
        ('seminars', '0005_created_by_label'),
        ('seminars', '0006_seminar_attendance'),
        ('seminars', '0007_initiative_years_plausible'),
        ('seminars', '0008_verbose_names_of_relations'),
        ('seminars', '0009_programme_kept_in_the_portal'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('branches', '0012_merge_and_split_reasons_in_vietnamese'),
        ('secretaries', '0005_public_consent'),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalProgramme',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('from_year', models.PositiveSmallIntegerField(validators=[core.validators.validate_year], verbose_name='from year')),
                ('to_year', models.PositiveSmallIntegerField(blank=True, help_text="The programme's last year, which may be ahead (2026–2030); empty while it runs on.", null=True, validators=[core.validators.validate_planned_year], verbose_name='to year')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('commune', models.ForeignKey(blank=True, db_constraint=False, help_text='The commune whose Union organises it (from 1 July 2025).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.commune', verbose_name='commune')),
                ('district', models.ForeignKey(blank=True, db_constraint=False, help_text='Empty when the province itself organises it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.district', verbose_name='district')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('province', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.province', verbose_name='province')),
            ],
            options={
                'verbose_name': 'historical programme',
                'verbose_name_plural': 'historical programmes',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Programme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('title_key', models.CharField(db_index=True, editable=False, max_length=300)),
                ('from_year', models.PositiveSmallIntegerField(validators=[core.validators.validate_year], verbose_name='from year')),
                ('to_year', models.PositiveSmallIntegerField(blank=True, help_text="The programme's last year, which may be ahead (2026–2030); empty while it runs on.", null=True, validators=[core.validators.validate_planned_year], verbose_name='to year')),
                ('commune', models.ForeignKey(blank=True, help_text='The commune whose Union organises it (from 1 July 2025).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.commune', verbose_name='commune')),
                ('district', models.ForeignKey(blank=True, help_text='Empty when the province itself organises it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.district', verbose_name='district')),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.province', verbose_name='province')),
            ],
            options={
                'verbose_name': 'programme',
                'verbose_name_plural': 'programmes',
                'ordering': ['-from_year', 'name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalSeminar',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('held_on', models.DateField(verbose_name='held on')),
                ('venue', models.CharField(blank=True, max_length=300, verbose_name='venue')),
                ('chair', models.CharField(blank=True, max_length=200, verbose_name='chaired by')),
                ('other_attendees', models.PositiveIntegerField(default=0, help_text='Cadres and guests who are not branch secretaries.', verbose_name='other attendees')),
                ('outcome', models.TextField(blank=True, verbose_name='outcomes')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('commune', models.ForeignKey(blank=True, db_constraint=False, help_text='The commune whose Union organises it (from 1 July 2025).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.commune', verbose_name='commune')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('district', models.ForeignKey(blank=True, db_constraint=False, help_text='Empty when the province itself organises it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.district', verbose_name='district')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('province', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.province', verbose_name='province')),
                ('programme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='seminars.programme', verbose_name='programme')),
            ],
            options={
                'verbose_name': 'historical seminar',
                'verbose_name_plural': 'historical seminars',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalInitiative',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('from_year', models.PositiveSmallIntegerField(validators=[core.validators.validate_year], verbose_name='from year')),
                ('to_year', models.PositiveSmallIntegerField(blank=True, help_text='The last year it was applied; empty while it still is.', null=True, validators=[core.validators.validate_year], verbose_name='to year')),
                ('results', models.TextField(blank=True, verbose_name='results')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('commune', models.ForeignKey(blank=True, db_constraint=False, help_text='The commune whose Union organises it (from 1 July 2025).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.commune', verbose_name='commune')),
                ('district', models.ForeignKey(blank=True, db_constraint=False, help_text='Empty when the province itself organises it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.district', verbose_name='district')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('province', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.province', verbose_name='province')),
                ('programme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='seminars.programme', verbose_name='programme')),
            ],
            options={
                'verbose_name': 'historical model or solution',
                'verbose_name_plural': 'historical models and solutions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Seminar',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('title_key', models.CharField(db_index=True, editable=False, max_length=300)),
                ('held_on', models.DateField(verbose_name='held on')),
                ('venue', models.CharField(blank=True, max_length=300, verbose_name='venue')),
                ('chair', models.CharField(blank=True, max_length=200, verbose_name='chaired by')),
                ('other_attendees', models.PositiveIntegerField(default=0, help_text='Cadres and guests who are not branch secretaries.', verbose_name='other attendees')),
                ('outcome', models.TextField(blank=True, verbose_name='outcomes')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('commune', models.ForeignKey(blank=True, help_text='The commune whose Union organises it (from 1 July 2025).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.commune', verbose_name='commune')),
                ('created_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('district', models.ForeignKey(blank=True, help_text='Empty when the province itself organises it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.district', verbose_name='district')),
                ('participants', models.ManyToManyField(blank=True, related_name='seminars', to='secretaries.person', verbose_name='participating secretaries')),
                ('programme', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='seminars', to='seminars.programme', verbose_name='programme')),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.province', verbose_name='province')),
            ],
            options={
                'verbose_name': 'seminar',
                'verbose_name_plural': 'seminars',
                'ordering': ['-held_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Proposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('text', models.TextField(verbose_name='proposal')),
                ('responsible', models.CharField(blank=True, max_length=200, verbose_name='responsible unit')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='due on')),
                ('status', models.CharField(choices=[('de_xuat', 'Proposed'), ('dang_thuc_hien', 'In progress'), ('hoan_thanh', 'Done'), ('dung', 'Dropped')], default='de_xuat', max_length=16, verbose_name='status')),
                ('result', models.TextField(blank=True, verbose_name='result')),
                ('search_key', models.TextField(default='', editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('seminar', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='seminars.seminar', verbose_name='seminar')),
            ],
            options={
                'verbose_name': 'proposed solution',
                'verbose_name_plural': 'proposed solutions',
                'ordering': ['due_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Photo',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('image', models.ImageField(upload_to=seminars.models.photo_path, verbose_name='photo')),
                ('thumbnail', models.ImageField(editable=False, upload_to=seminars.models.photo_path)),
                ('caption', models.CharField(blank=True, max_length=300, verbose_name='caption')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                ('seminar', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='seminars.seminar', verbose_name='seminar')),
            ],
            options={
                'verbose_name': 'photo',
                'verbose_name_plural': 'photos',
                'ordering': ['seminar', 'uploaded_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Initiative',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('title_key', models.CharField(db_index=True, editable=False, max_length=300)),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('from_year', models.PositiveSmallIntegerField(validators=[core.validators.validate_year], verbose_name='from year')),
                ('to_year', models.PositiveSmallIntegerField(blank=True, help_text='The last year it was applied; empty while it still is.', null=True, validators=[core.validators.validate_year], verbose_name='to year')),
                ('results', models.TextField(blank=True, verbose_name='results')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('branches', models.ManyToManyField(blank=True, to='branches.branch', verbose_name='branches applying it')),
                ('commune', models.ForeignKey(blank=True, help_text='The commune whose Union organises it (from 1 July 2025).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.commune', verbose_name='commune')),
                ('communes', models.ManyToManyField(blank=True, to='branches.commune', verbose_name='communes applying it')),
                ('district', models.ForeignKey(blank=True, help_text='Empty when the province itself organises it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.district', verbose_name='district')),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.province', verbose_name='province')),
                ('programme', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='seminars.programme', verbose_name='programme')),
                ('seminars', models.ManyToManyField(blank=True, related_name='initiatives', to='seminars.seminar', verbose_name='related seminars')),
            ],
            options={
                'verbose_name': 'model or solution',
                'verbose_name_plural': 'models and solutions',
                'ordering': ['-from_year', 'name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalSeminar_participants',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='seminars.historicalseminar')),
                ('person', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='secretaries.person')),
                ('seminar', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='seminars.seminar')),
            ],
            options={
                'verbose_name': 'HistoricalSeminar_participants',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProposal',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('text', models.TextField(verbose_name='proposal')),
                ('responsible', models.CharField(blank=True, max_length=200, verbose_name='responsible unit')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='due on')),
                ('status', models.CharField(choices=[('de_xuat', 'Proposed'), ('dang_thuc_hien', 'In progress'), ('hoan_thanh', 'Done'), ('dung', 'Dropped')], default='de_xuat', max_length=16, verbose_name='status')),
                ('result', models.TextField(blank=True, verbose_name='result')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('seminar', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='seminars.seminar', verbose_name='seminar')),
            ],
            options={
                'verbose_name': 'historical proposed solution',
                'verbose_name_plural': 'historical proposed solutions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Theme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                ('title', models.CharField(max_length=300, verbose_name='theme')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('seminar', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='themes', to='seminars.seminar', verbose_name='seminar')),
            ],
            options={
                'verbose_name': 'discussion theme',
                'verbose_name_plural': 'discussion themes',
                'ordering': ['seminar', 'order'],
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='secretaries.person', verbose_name='person')),
            ],
            options={
                'verbose_name': 'seminar attendance',
                'verbose_name_plural': 'seminar attendances',
                'ordering': ['year', 'person'],
                'constraints': [models.UniqueConstraint(fields=('year', 'person'), name='attendance_one_per_person_and_year')],
            },
        ),
        migrations.AddConstraint(
            model_name='programme',
            constraint=models.CheckConstraint(condition=models.Q(('district__isnull', True), ('commune__isnull', True), _connector='OR'), name='programme_organiser_not_district_and_commune', violation_error_message='An organiser is a district or a commune, not both.'),
        ),
        migrations.AddConstraint(
            model_name='programme',
            constraint=models.CheckConstraint(condition=models.Q(('to_year__isnull', True), ('to_year__gte', models.F('from_year')), _connector='OR'), name='programme_years_ordered'),
        ),
        migrations.AddIndex(
            model_name='seminar',
            index=models.Index(fields=['province', 'district', 'held_on'], name='seminar_unit_date'),
        ),
        migrations.AddConstraint(
            model_name='seminar',
            constraint=models.CheckConstraint(condition=models.Q(('district__isnull', True), ('commune__isnull', True), _connector='OR'), name='seminar_organiser_not_district_and_commune', violation_error_message='An organiser is a district or a commune, not both.'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['status', 'due_on'], name='proposal_status_due'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('district__isnull', True), ('commune__isnull', True), _connector='OR'), name='initiative_organiser_not_district_and_commune', violation_error_message='An organiser is a district or a commune, not both.'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('to_year__isnull', True), ('to_year__gte', models.F('from_year')), _connector='OR'), name='initiative_years_ordered'),
        ),
        migrations.AddConstraint(
            model_name='theme',
            constraint=models.UniqueConstraint(fields=('seminar', 'order'), name='theme_order_unique'),
        ),
    ]
