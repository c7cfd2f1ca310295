"""The project itself: default storage, languages, settings that the architecture fixes."""
import os
import subprocess
import sys

from django.conf import settings

from .conftest import ROOT


def test_default_database_is_sqlite_in_wal_mode_under_var(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"OPENFTZ_VAR_DIR": str(tmp_path)}
    code = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(connection.vendor, c.fetchone()[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env | {"DJANGO_SETTINGS_MODULE": "openftz.settings"},
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["sqlite", "wal"], out.stderr
    assert (tmp_path / "openftz.sqlite3").exists()


def test_languages_and_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


def test_chinese_is_the_default_and_english_under_en(client, db):
    zh = client.get("/")
    en = client.get("/en/")
    assert zh.status_code == en.status_code == 200
    assert '<html lang="zh-Hans">' in zh.content.decode() and "检索" in zh.content.decode()
    assert '<html lang="en">' in en.content.decode() and "Search" in en.content.decode()
    assert client.get("/measures/SH-999/").status_code == 404


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok" and response["Content-Type"] == "text/plain"
