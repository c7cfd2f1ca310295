"""The page /work/ (both languages), the landing after sign-in, the menu, GET /api/work/ and `openftz work list`."""
from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from typer.testing import CliRunner

from openftz.cli import app as cli
from tests.einvoice.conftest import INVOICE, send
from tests.tracker.conftest import make_user

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def main(page) -> str:
    body = page.content.decode()
    return body[body.index('<main'):body.index("</main>")]


def test_signing_in_lands_on_my_work():
    make_user("customs", "unit_officer", "上海海关")
    client = Client()
    login = client.post("/tracker/login/", {"username": "customs", "password": "pw-customs"})
    assert login.status_code == 302 and login["Location"] == "/work/"
    assert client.get(login["Location"]).status_code == 200
    english = Client().post("/en/tracker/login/", {"username": "customs", "password": "pw-customs"})
    assert english["Location"] == "/en/work/"
    # a `next` the user came for still wins
    going = Client().post("/tracker/login/", {"username": "customs", "password": "pw-customs", "next": "/tracker/tasks/"})
    assert going["Location"] == "/tracker/tasks/"


def test_anonymous_visitors_are_asked_to_sign_in_and_have_no_menu_entry():
    page = Client().get("/work/")
    assert page.status_code == 302 and page["Location"].startswith("/tracker/login/?next=/work/")
    assert 'href="/work/"' not in Client().get("/").content.decode()


def test_my_work_is_first_in_the_menu_of_everyone_signed_in():
    body = signed_in(make_user("someone")).get("/en/").content.decode()
    menu = body[body.index('id="site-menu"'):]
    first = re.search(r'class="nav-(?:link|item)[^"]*"[^>]*>([^<]+)<', menu)
    assert first.group(1) == "My work" and 'href="/en/work/"' in menu
    page = signed_in(make_user("other")).get("/work/").content.decode()
    assert re.search(r'<a class="nav-link active" href="/work/" aria-current="page">我的工作</a>', page)
    crumbs = re.search(r'<ol class="breadcrumb[^"]*">(.*?)</ol>', page, re.S).group(1)
    assert re.findall(r">([^<>]+)</(?:a|li)>", crumbs) == ["首页", "我的工作"]


def test_the_empty_state_says_what_will_appear_in_both_languages():
    client = signed_in(make_user("nobody"))
    zh, en = main(client.get("/work/")), main(client.get("/en/work/"))
    assert 'id="work-empty"' in zh and "我的工作" in zh and "发票" in zh
    assert 'id="work-empty"' in en and "Nothing waits for you now." in en and "E-invoices" in en
    assert 'id="work-summary"' not in en


def test_the_page_groups_by_service_counts_and_marks_foreign_text(exchange):
    from openftz.parties.models import Party

    send(exchange["seller"], INVOICE.read_bytes())
    zh, en = main(exchange["buyer"].get("/work/")), main(exchange["buyer"].get("/en/work/"))
    for body in (zh, en):
        assert 'id="work-summary"' in body and 'id="work-einvoice"' in body and 'data-kind="invoice_to_answer"' in body
    assert 'id="work-total">共 1 项<' in zh and 'id="work-total">1 item in all<' in en
    assert "待答复的发票" in zh and "Invoice to answer" in en and ">电子发票 <span" in zh
    # the seller's name: English where the directory has one; else the Chinese, marked on an English page
    assert "12345 · Company A" in en and "12345 · 甲公司（丹麦）" in zh and 'lang="en"' not in zh.split('id="work-summary"')[1]
    Party.objects.filter(pk="company-a").update(name_en="")
    en = main(exchange["buyer"].get("/en/work/"))
    assert '<span lang="zh-Hans">12345 · 甲公司（丹麦）</span>' in en


def test_the_api_answers_the_same_items_and_401_with_the_error_body(exchange):
    message = send(exchange["seller"], INVOICE.read_bytes()).json()
    body = exchange["buyer"].get("/api/work/").json()
    assert set(body) == {"today", "total", "overdue", "due_this_week", "services", "items"}
    assert body["total"] == 1 and body["services"] == [{"service": "einvoice", "label": "电子发票", "count": 1, "overdue": 0}]
    assert body["items"] == [{"service": "einvoice", "kind": "invoice_to_answer", "title": "待答复的发票",
                              "subject": "12345 · 甲公司（丹麦）", "url": f"/einvoice/messages/{message['id']}/",
                              "deadline": None, "overdue": False, "urgency": "open"}]
    assert exchange["nobody"].get("/api/work/").json()["items"] == []
    anonymous = Client().get("/api/work/")
    assert anonymous.status_code == 401
    assert set(anonymous.json()) == {"code", "message_zh", "message_en", "details"}


def test_the_cli_lists_a_users_items_as_json_or_jsonl(exchange):
    send(exchange["seller"], INVOICE.read_bytes())
    runner = CliRunner()
    as_json = runner.invoke(cli, ["work", "list", "--user", "buyer", "--format", "json", "--language", "en"])
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)
    assert [(r["kind"], r["title"], r["urgency"]) for r in rows] == [("invoice_to_answer", "Invoice to answer", "open")]
    lines = runner.invoke(cli, ["work", "list", "--user", "buyer"]).stdout.splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["待答复的发票"]
    assert runner.invoke(cli, ["work", "list", "--user", "nobody", "--format", "json"]).stdout.strip() == "[]"
    for args in (["--user", "no-such-user"], ["--user", "buyer", "--format", "csv"], ["--user", "buyer", "--language", "fr"]):
        bad = runner.invoke(cli, ["work", "list", *args])
        assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.output, args
