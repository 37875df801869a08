"""assessments 0001–0021 as one migration: the tables as they are after 0021, then the province's 2026
framework (0002's seed) with its search keys (0021's fill). A new database runs this one; a database that
has run 0001–0021 records it as run. (0010, 0011 and 0013 only filled tables that a new database has
empty.) The replaced files stay until every database has run them."""

import core.validators
import django.core.validators
import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from assessments.defaults import DEFAULT_GROUPS, DEFAULT_NAME
from core.text import fill_folded

YEAR = 2026


def seed(apps, schema_editor):
    """0002's seed: the common 2026 framework, three skill groups and eleven criteria."""
    Framework = apps.get_model("assessments", "Framework")
    SkillGroup = apps.get_model("assessments", "SkillGroup")
    Criterion = apps.get_model("assessments", "Criterion")
    if Framework.objects.filter(year=YEAR, province__isnull=True).exists():
        return
    framework = Framework.objects.create(year=YEAR, name=DEFAULT_NAME.format(year=YEAR))
    for group_order, (group_name, criteria) in enumerate(DEFAULT_GROUPS, start=1):
        group = SkillGroup.objects.create(framework=framework, order=group_order, name=group_name)
        for order, (name, description) in enumerate(criteria, start=1):
            Criterion.objects.create(group=group, order=order, name=name, description=description)


def unseed(apps, schema_editor):
    apps.get_model("assessments", "Framework").objects.filter(year=YEAR, assessments__isnull=True).delete()


def fill(apps, schema_editor):
    """0021's fill: the search keys of what the seed wrote."""
    fill_folded(apps.get_model("assessments", "Framework"), "name_key", "name")
    fill_folded(apps.get_model("assessments", "SkillGroup"), "name_key", "name")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('assessments', '0001_initial'),
        ('assessments', '0002_default_framework'),
        ('assessments', '0003_assessment_ordering'),
        ('assessments', '0004_version'),
        ('assessments', '0005_framework_per_province'),
        ('assessments', '0006_points_periods_self_assessment'),
        ('assessments', '0007_report_totals'),
        ('assessments', '0008_training_needs_covering_indexes'),
        ('assessments', '0009_criterion_totals_covering_index'),
        ('assessments', '0010_totals_awaiting_review'),
        ('assessments', '0011_totals_branch_province'),
        ('assessments', '0012_group_score_with_score'),
        ('assessments', '0013_province_criterion_totals'),
        ('assessments', '0014_assessment_province_index_carries_units'),
        ('assessments', '0015_criterion_totals_province_index_carries_scores'),
        ('assessments', '0016_group_totals_one_province_index'),
        ('assessments', '0017_validators_of_dates_and_counts'),
        ('assessments', '0018_verbose_names_of_units'),
        ('assessments', '0019_self_note_longer'),
        ('assessments', '0020_verbose_names_of_relations'),
        ('assessments', '0021_framework_and_skill_group_name_keys'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('branches', '0011_validators_of_dates_and_counts'),
        ('secretaries', '0008_count_current_secretaries'),
    ]

    operations = [
        migrations.CreateModel(
            name='Criterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('weight', models.DecimalField(decimal_places=2, default=Decimal('1'), max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='weight')),
                ('max_points', models.PositiveSmallIntegerField(blank=True, help_text='Points out of 100 only: the most this criterion gives within its part.', null=True, verbose_name='maximum points')),
            ],
            options={
                'verbose_name': 'criterion',
                'verbose_name_plural': 'criteria',
                'ordering': ['group__order', 'order'],
            },
        ),
        migrations.CreateModel(
            name='Framework',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('name_key', models.CharField(default='', editable=False, max_length=200)),
                ('scale_min', models.PositiveSmallIntegerField(default=1, verbose_name='lowest score')),
                ('scale_max', models.PositiveSmallIntegerField(default=5, verbose_name='highest score')),
                ('excellent_from', models.DecimalField(decimal_places=2, default=Decimal('4.50'), help_text='Overall score from which the rating is “excellently fulfilled”.', max_digits=5, verbose_name='excellent from')),
                ('good_from', models.DecimalField(decimal_places=2, default=Decimal('3.50'), max_digits=5, verbose_name='good from')),
                ('fulfilled_from', models.DecimalField(decimal_places=2, default=Decimal('2.50'), max_digits=5, verbose_name='fulfilled from')),
                ('method', models.CharField(choices=[('thang_diem', 'Scale (weighted mean)'), ('diem_100', 'Points out of 100')], default='thang_diem', help_text='Points out of 100: each part (skill group) carries its maximum points, summing to 100, and each criterion its maximum within the part; thresholds are on 0–100.', max_length=12, verbose_name='scoring method')),
                ('period', models.CharField(choices=[('nam', 'Year'), ('nhiem_ky', 'Term'), ('quy', 'Quarter')], default='nam', help_text='What one assessment covers: the year, the term, or one quarter of the year.', max_length=10, verbose_name='period')),
                ('self_assessment', models.BooleanField(default=False, help_text='Secretaries with an account assess themselves first; the unit then reviews, and provincial staff confirm.', verbose_name='self-assessment first')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('province', models.ForeignKey(blank=True, help_text='Empty for the common framework, used by every province without its own that year.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.province', verbose_name='province')),
            ],
            options={
                'verbose_name': 'framework',
                'verbose_name_plural': 'frameworks',
                'ordering': ['-year', 'province_id'],
            },
        ),
        migrations.CreateModel(
            name='CriterionTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.PositiveSmallIntegerField()),
                ('n', models.PositiveIntegerField(default=0)),
                ('branch_commune', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.commune')),
                ('branch_province', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.province')),
                ('commune', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.commune')),
                ('criterion', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='assessments.criterion')),
                ('district', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.district')),
                ('province', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.province')),
                ('framework', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='assessments.framework')),
            ],
            options={
                'verbose_name': 'criterion totals',
                'verbose_name_plural': 'criterion totals',
                'ordering': ['framework', 'commune', 'branch_commune', 'criterion', 'value'],
            },
        ),
        migrations.CreateModel(
            name='AssessmentTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('counted', models.PositiveIntegerField(default=0)),
                ('drafts', models.PositiveIntegerField(default=0)),
                ('submitted', models.PositiveIntegerField(default=0)),
                ('confirmed', models.PositiveIntegerField(default=0)),
                ('awaiting_review', models.PositiveIntegerField(default=0)),
                ('overall_total', models.DecimalField(decimal_places=2, max_digits=12, null=True)),
                ('overall_n', models.PositiveIntegerField(default=0)),
                ('rating_xuat_sac', models.PositiveIntegerField(default=0)),
                ('rating_tot', models.PositiveIntegerField(default=0)),
                ('rating_hoan_thanh', models.PositiveIntegerField(default=0)),
                ('rating_khong_hoan_thanh', models.PositiveIntegerField(default=0)),
                ('branch_commune', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.commune')),
                ('branch_province', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.province')),
                ('commune', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.commune')),
                ('district', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.district')),
                ('province', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.province')),
                ('framework', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='assessments.framework')),
            ],
            options={
                'verbose_name': 'assessment totals',
                'verbose_name_plural': 'assessment totals',
                'ordering': ['framework', 'commune', 'branch_commune'],
            },
        ),
        migrations.CreateModel(
            name='Assessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('assessed_on', models.DateField(validators=[core.validators.validate_not_in_future], verbose_name='assessed on')),
                ('quarter', models.PositiveSmallIntegerField(blank=True, help_text='Only in a quarterly framework: 1 to 4.', null=True, verbose_name='quarter')),
                ('comment', models.TextField(blank=True, verbose_name='overall comment')),
                ('status', models.CharField(choices=[('tu_danh_gia', 'Self-assessing'), ('cho_don_vi', "Awaiting the unit's review"), ('nhap', 'Draft'), ('da_gui', 'Submitted'), ('da_xac_nhan', 'Confirmed')], default='nhap', max_length=12, verbose_name='status')),
                ('overall_score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='overall score')),
                ('rating', models.CharField(blank=True, choices=[('xuat_sac', 'Excellently fulfilled duties'), ('tot', 'Well fulfilled duties'), ('hoan_thanh', 'Fulfilled duties'), ('khong_hoan_thanh', 'Did not fulfil duties')], max_length=20, verbose_name='rating')),
                ('self_overall_score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='self-assessed overall score')),
                ('self_rating', models.CharField(blank=True, choices=[('xuat_sac', 'Excellently fulfilled duties'), ('tot', 'Well fulfilled duties'), ('hoan_thanh', 'Fulfilled duties'), ('khong_hoan_thanh', 'Did not fulfil duties')], max_length=20, verbose_name='self-assessed rating')),
                ('self_comment', models.TextField(blank=True, verbose_name='self-assessment comment')),
                ('self_submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='self-assessment submitted at')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('assessor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assessor')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.branch', verbose_name='branch')),
                ('commune', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.commune', verbose_name='commune')),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by')),
                ('district', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.district', verbose_name='district')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='secretaries.person', verbose_name='person')),
                ('province', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.province', verbose_name='province')),
                ('framework', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='assessments.framework', verbose_name='framework')),
            ],
            options={
                'verbose_name': 'skill assessment',
                'verbose_name_plural': 'skill assessments',
                'ordering': ['-assessed_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAssessment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('assessed_on', models.DateField(validators=[core.validators.validate_not_in_future], verbose_name='assessed on')),
                ('quarter', models.PositiveSmallIntegerField(blank=True, help_text='Only in a quarterly framework: 1 to 4.', null=True, verbose_name='quarter')),
                ('comment', models.TextField(blank=True, verbose_name='overall comment')),
                ('status', models.CharField(choices=[('tu_danh_gia', 'Self-assessing'), ('cho_don_vi', "Awaiting the unit's review"), ('nhap', 'Draft'), ('da_gui', 'Submitted'), ('da_xac_nhan', 'Confirmed')], default='nhap', max_length=12, verbose_name='status')),
                ('overall_score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='overall score')),
                ('rating', models.CharField(blank=True, choices=[('xuat_sac', 'Excellently fulfilled duties'), ('tot', 'Well fulfilled duties'), ('hoan_thanh', 'Fulfilled duties'), ('khong_hoan_thanh', 'Did not fulfil duties')], max_length=20, verbose_name='rating')),
                ('self_overall_score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='self-assessed overall score')),
                ('self_rating', models.CharField(blank=True, choices=[('xuat_sac', 'Excellently fulfilled duties'), ('tot', 'Well fulfilled duties'), ('hoan_thanh', 'Fulfilled duties'), ('khong_hoan_thanh', 'Did not fulfil duties')], max_length=20, verbose_name='self-assessed rating')),
                ('self_comment', models.TextField(blank=True, verbose_name='self-assessment comment')),
                ('self_submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='self-assessment submitted at')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('assessor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assessor')),
                ('branch', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.branch', verbose_name='branch')),
                ('commune', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.commune', verbose_name='commune')),
                ('confirmed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by')),
                ('district', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.district', verbose_name='district')),
                ('framework', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.framework', verbose_name='framework')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='secretaries.person', verbose_name='person')),
                ('province', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.province', verbose_name='province')),
            ],
            options={
                'verbose_name': 'historical skill assessment',
                'verbose_name_plural': 'historical skill assessments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalFramework',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('scale_min', models.PositiveSmallIntegerField(default=1, verbose_name='lowest score')),
                ('scale_max', models.PositiveSmallIntegerField(default=5, verbose_name='highest score')),
                ('excellent_from', models.DecimalField(decimal_places=2, default=Decimal('4.50'), help_text='Overall score from which the rating is “excellently fulfilled”.', max_digits=5, verbose_name='excellent from')),
                ('good_from', models.DecimalField(decimal_places=2, default=Decimal('3.50'), max_digits=5, verbose_name='good from')),
                ('fulfilled_from', models.DecimalField(decimal_places=2, default=Decimal('2.50'), max_digits=5, verbose_name='fulfilled from')),
                ('method', models.CharField(choices=[('thang_diem', 'Scale (weighted mean)'), ('diem_100', 'Points out of 100')], default='thang_diem', help_text='Points out of 100: each part (skill group) carries its maximum points, summing to 100, and each criterion its maximum within the part; thresholds are on 0–100.', max_length=12, verbose_name='scoring method')),
                ('period', models.CharField(choices=[('nam', 'Year'), ('nhiem_ky', 'Term'), ('quy', 'Quarter')], default='nam', help_text='What one assessment covers: the year, the term, or one quarter of the year.', max_length=10, verbose_name='period')),
                ('self_assessment', models.BooleanField(default=False, help_text='Secretaries with an account assess themselves first; the unit then reviews, and provincial staff confirm.', verbose_name='self-assessment first')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('province', models.ForeignKey(blank=True, db_constraint=False, help_text='Empty for the common framework, used by every province without its own that year.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='branches.province', verbose_name='province')),
            ],
            options={
                'verbose_name': 'historical framework',
                'verbose_name_plural': 'historical frameworks',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ProvinceCriterionTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.PositiveSmallIntegerField()),
                ('n', models.PositiveIntegerField(default=0)),
                ('criterion', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='assessments.criterion')),
                ('framework', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='assessments.framework')),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.province')),
            ],
            options={
                'verbose_name': 'criterion totals per province',
                'verbose_name_plural': 'criterion totals per province',
                'ordering': ['framework', 'province', 'criterion', 'value'],
            },
        ),
        migrations.CreateModel(
            name='RatingCondition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rating', models.CharField(choices=[('xuat_sac', 'Excellently fulfilled duties'), ('tot', 'Well fulfilled duties'), ('hoan_thanh', 'Fulfilled duties'), ('khong_hoan_thanh', 'Did not fulfil duties')], max_length=20, verbose_name='rating level')),
                ('kind', models.CharField(choices=[('tieu_chi', 'No criterion below'), ('phan', 'No part below')], max_length=10, verbose_name='condition')),
                ('min_percent', models.DecimalField(decimal_places=2, help_text='E.g. 50: every criterion (or part) must reach half of its maximum points.', max_digits=5, verbose_name='floor (percent of the maximum)')),
                ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rating_conditions', to='assessments.framework', verbose_name='framework')),
            ],
            options={
                'verbose_name': 'rating condition',
                'verbose_name_plural': 'rating conditions',
                'ordering': ['framework', 'rating', 'kind'],
            },
        ),
        migrations.CreateModel(
            name='Score',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='score')),
                ('comment', models.CharField(blank=True, max_length=500, verbose_name='comment')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='assessments.assessment', verbose_name='skill assessment')),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='assessments.criterion', verbose_name='criterion')),
            ],
            options={
                'verbose_name': 'score',
                'verbose_name_plural': 'scores',
                'ordering': ['criterion__group__order', 'criterion__order'],
            },
        ),
        migrations.CreateModel(
            name='SelfScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='self-assessed score')),
                ('comment', models.CharField(blank=True, max_length=2000, verbose_name='comment')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='self_scores', to='assessments.assessment', verbose_name='skill assessment')),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='assessments.criterion', verbose_name='criterion')),
            ],
            options={
                'verbose_name': 'self-assessed score',
                'verbose_name_plural': 'self-assessed scores',
                'ordering': ['criterion__group__order', 'criterion__order'],
            },
        ),
        migrations.CreateModel(
            name='SkillGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('name_key', models.CharField(default='', editable=False, max_length=200)),
                ('max_points', models.PositiveSmallIntegerField(blank=True, help_text="Points out of 100 only: the part's share of the 100 points (e.g. 30 or 70).", null=True, verbose_name='maximum points')),
                ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='groups', to='assessments.framework', verbose_name='framework')),
            ],
            options={
                'verbose_name': 'skill group',
                'verbose_name_plural': 'skill groups',
                'ordering': ['framework', 'order'],
            },
        ),
        migrations.CreateModel(
            name='GroupTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('total', models.DecimalField(decimal_places=2, max_digits=12, null=True)),
                ('n', models.PositiveIntegerField(default=0)),
                ('branch_commune', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.commune')),
                ('branch_province', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.province')),
                ('commune', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.commune')),
                ('district', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.district')),
                ('framework', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='assessments.framework')),
                ('province', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='branches.province')),
                ('group', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='assessments.skillgroup')),
            ],
            options={
                'verbose_name': 'skill group totals',
                'verbose_name_plural': 'skill group totals',
                'ordering': ['framework', 'commune', 'branch_commune', 'group'],
            },
        ),
        migrations.CreateModel(
            name='GroupScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.DecimalField(decimal_places=2, max_digits=5, null=True, verbose_name='score')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='group_scores', to='assessments.assessment', verbose_name='skill assessment')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='assessments.skillgroup', verbose_name='skill group')),
            ],
            options={
                'verbose_name': 'group score',
                'verbose_name_plural': 'group scores',
                'ordering': ['group__order'],
            },
        ),
        migrations.CreateModel(
            name='GroupReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('self_score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='self-assessed score')),
                ('comment', models.TextField(blank=True, verbose_name="the unit's comment")),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='group_reviews', to='assessments.assessment', verbose_name='skill assessment')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='assessments.skillgroup', verbose_name='skill group')),
            ],
            options={
                'verbose_name': 'part review',
                'verbose_name_plural': 'part reviews',
                'ordering': ['group__order'],
            },
        ),
        migrations.AddField(
            model_name='criterion',
            name='group',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='assessments.skillgroup', verbose_name='skill group'),
        ),
        migrations.AddConstraint(
            model_name='framework',
            constraint=models.UniqueConstraint(fields=('province', 'year', 'period'), name='framework_one_per_province_year_period', violation_error_message='This province already has a framework of that kind for that year.'),
        ),
        migrations.AddConstraint(
            model_name='framework',
            constraint=models.UniqueConstraint(condition=models.Q(('province__isnull', True)), fields=('year', 'period'), name='framework_one_common_per_year_period', violation_error_message='There is already a common framework of that kind for that year.'),
        ),
        migrations.AddConstraint(
            model_name='framework',
            constraint=models.CheckConstraint(condition=models.Q(('scale_min__lt', models.F('scale_max'))), name='framework_scale_ordered', violation_error_message='The lowest score must be below the highest.'),
        ),
        migrations.AddConstraint(
            model_name='framework',
            constraint=models.CheckConstraint(condition=models.Q(('fulfilled_from__lte', models.F('good_from')), ('good_from__lte', models.F('excellent_from')), ('excellent_from__lte', models.F('scale_max')), ('fulfilled_from__gte', models.F('scale_min'))), name='framework_thresholds_ordered', violation_error_message='Thresholds must rise from “fulfilled” to “good” to “excellent”, within the scale.'),
        ),
        migrations.AddConstraint(
            model_name='framework',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('method', 'diem_100'), _negated=True), models.Q(('scale_max', 100), ('scale_min', 0)), _connector='OR'), name='framework_points_on_0_to_100', violation_error_message='A framework of points out of 100 scores from 0 to 100.'),
        ),
        migrations.AddIndex(
            model_name='criteriontotal',
            index=models.Index(fields=['framework', 'province'], include=('criterion', 'value', 'n'), name='criterion_total_province_cover'),
        ),
        migrations.AddIndex(
            model_name='criteriontotal',
            index=models.Index(fields=['framework', 'district'], name='criterion_total_fw_district'),
        ),
        migrations.AddIndex(
            model_name='criteriontotal',
            index=models.Index(fields=['framework', 'commune'], name='criterion_total_fw_commune'),
        ),
        migrations.AddIndex(
            model_name='criteriontotal',
            index=models.Index(fields=['branch_commune', 'framework'], name='criterion_total_today'),
        ),
        migrations.AddIndex(
            model_name='assessmenttotal',
            index=models.Index(fields=['framework', 'province'], name='assessment_total_fw_province'),
        ),
        migrations.AddIndex(
            model_name='assessmenttotal',
            index=models.Index(fields=['framework', 'district'], name='assessment_total_fw_district'),
        ),
        migrations.AddIndex(
            model_name='assessmenttotal',
            index=models.Index(fields=['framework', 'commune'], name='assessment_total_fw_commune'),
        ),
        migrations.AddIndex(
            model_name='assessmenttotal',
            index=models.Index(fields=['branch_commune', 'framework'], name='assessment_total_today'),
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['framework', 'district', 'status'], name='assessment_fw_district'),
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['framework', 'province', 'status'], include=('id', 'district', 'commune'), name='assessment_fw_province_units'),
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['framework', 'status'], include=('id', 'province', 'district', 'commune'), name='assessment_fw_status_units'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.UniqueConstraint(condition=models.Q(('quarter__isnull', True)), fields=('person', 'framework'), name='assessment_one_per_person_and_framework', violation_error_message='This secretary already has an assessment in that framework.'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.UniqueConstraint(condition=models.Q(('quarter__isnull', False)), fields=('person', 'framework', 'quarter'), name='assessment_one_per_person_framework_quarter', violation_error_message='This secretary already has an assessment for that quarter.'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('quarter__isnull', True), models.Q(('quarter__gte', 1), ('quarter__lte', 4)), _connector='OR'), name='assessment_quarter_range', violation_error_message='A quarter is 1, 2, 3 or 4.'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'da_xac_nhan'), _negated=True), models.Q(('confirmed_at__isnull', False), ('confirmed_by__isnull', False)), _connector='OR'), name='assessment_confirmed_has_confirmer'),
        ),
        migrations.AddConstraint(
            model_name='provincecriteriontotal',
            constraint=models.UniqueConstraint(fields=('framework', 'province', 'criterion', 'value'), name='province_criterion_total_key'),
        ),
        migrations.AddConstraint(
            model_name='ratingcondition',
            constraint=models.UniqueConstraint(fields=('framework', 'rating', 'kind'), name='rating_condition_one_per_level_and_kind', violation_error_message='That level already has this condition.'),
        ),
        migrations.AddConstraint(
            model_name='ratingcondition',
            constraint=models.CheckConstraint(condition=models.Q(('min_percent__gt', 0), ('min_percent__lte', 100)), name='rating_condition_percent_range', violation_error_message='The floor is a percentage above 0 and at most 100.'),
        ),
        migrations.AddConstraint(
            model_name='ratingcondition',
            constraint=models.CheckConstraint(condition=models.Q(('rating', 'khong_hoan_thanh'), _negated=True), name='rating_condition_not_on_lowest', violation_error_message='The lowest level has no condition.'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.UniqueConstraint(fields=('assessment', 'criterion'), name='score_one_per_criterion'),
        ),
        migrations.AddConstraint(
            model_name='selfscore',
            constraint=models.UniqueConstraint(fields=('assessment', 'criterion'), name='self_score_one_per_criterion'),
        ),
        migrations.AddConstraint(
            model_name='skillgroup',
            constraint=models.UniqueConstraint(fields=('framework', 'order'), name='skill_group_order_unique'),
        ),
        migrations.AddConstraint(
            model_name='skillgroup',
            constraint=models.CheckConstraint(condition=models.Q(('max_points__isnull', True), models.Q(('max_points__gt', 0), ('max_points__lte', 100)), _connector='OR'), name='skill_group_max_points_range', violation_error_message='A part carries from 1 to 100 points.'),
        ),
        migrations.AddIndex(
            model_name='grouptotal',
            index=models.Index(fields=['framework', 'province'], include=('group', 'branch_province', 'total', 'n'), name='group_total_province_cover'),
        ),
        migrations.AddIndex(
            model_name='grouptotal',
            index=models.Index(fields=['framework', 'district'], name='group_total_fw_district'),
        ),
        migrations.AddIndex(
            model_name='grouptotal',
            index=models.Index(fields=['framework', 'commune'], name='group_total_fw_commune'),
        ),
        migrations.AddIndex(
            model_name='grouptotal',
            index=models.Index(fields=['branch_commune', 'framework'], name='group_total_today'),
        ),
        migrations.AddIndex(
            model_name='groupscore',
            index=models.Index(fields=['group', 'score'], include=('assessment',), name='group_score_group_score_cover'),
        ),
        migrations.AddConstraint(
            model_name='groupscore',
            constraint=models.UniqueConstraint(fields=('assessment', 'group'), include=('score',), name='group_score_one_per_group'),
        ),
        migrations.AddConstraint(
            model_name='groupreview',
            constraint=models.UniqueConstraint(fields=('assessment', 'group'), name='group_review_one_per_group'),
        ),
        migrations.AddConstraint(
            model_name='criterion',
            constraint=models.UniqueConstraint(fields=('group', 'order'), name='criterion_order_unique'),
        ),
        migrations.AddConstraint(
            model_name='criterion',
            constraint=models.CheckConstraint(condition=models.Q(('weight__gt', 0)), name='criterion_weight_positive'),
        ),
        migrations.AddConstraint(
            model_name='criterion',
            constraint=models.CheckConstraint(condition=models.Q(('max_points__isnull', True), models.Q(('max_points__gt', 0), ('max_points__lte', 100)), _connector='OR'), name='criterion_max_points_range', violation_error_message='A criterion carries from 1 to 100 points.'),
        ),
        migrations.RunPython(seed, unseed),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
