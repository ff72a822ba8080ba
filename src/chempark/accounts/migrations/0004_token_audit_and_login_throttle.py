"""Audit rows name the acting token and the object; person tokens expire; login throttling moves
from the account to (account, client address); the security administrator's account lock.

SQLite adds a column with a default by rebuilding the table, which would drop the append-only
triggers with the old table, so they are lifted around the audit columns and installed again.
"""

from django.db import migrations, models

from chempark.accounts import audit_guard


def lift_audit_guard(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    audit_guard.remove(schema_editor.connection)


def restore_audit_guard(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    audit_guard.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_audit_append_only'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='user',
            name='failed_login_count',
        ),
        migrations.RemoveField(
            model_name='user',
            name='locked_until',
        ),
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(blank=True, help_text='Person tokens end here; machine tokens run until revoked.', null=True),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='from_login',
            field=models.BooleanField(default=False, help_text="Issued by POST /auth/token; the user's next login there replaces it."),
        ),
        migrations.RunPython(lift_audit_guard, restore_audit_guard),
        migrations.AddField(
            model_name='auditevent',
            name='object_label',
            field=models.CharField(blank=True, max_length=200, verbose_name='对象名称'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='token_id',
            field=models.BigIntegerField(blank=True, null=True, verbose_name='令牌编号'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='token_kind',
            field=models.CharField(blank=True, choices=[('person', '个人'), ('machine', '设备')], max_length=16, verbose_name='令牌类型'),
        ),
        migrations.AddField(
            model_name='user',
            name='locked_at',
            field=models.DateTimeField(blank=True, help_text='Set by the security administrator: no login and no token works until unlocked.', null=True, verbose_name='锁定时间'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('create', '新增'), ('update', '修改'), ('delete', '删除'), ('login', '登录'), ('login_failed', '登录失败'), ('locked', '账号锁定'), ('unlocked', '账号解锁'), ('token_issue', '签发令牌'), ('token_revoke', '吊销令牌'), ('import', '导入')], max_length=32, verbose_name='操作'),
        ),
        migrations.RunPython(restore_audit_guard, lift_audit_guard),
        migrations.CreateModel(
            name='LoginThrottle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(max_length=150)),
                ('address', models.CharField(max_length=64)),
                ('failures', models.PositiveIntegerField(default=0)),
                ('last_failure_at', models.DateTimeField()),
                ('blocked_until', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('username', 'address'), name='login_throttle_pair')],
            },
        ),
    ]
