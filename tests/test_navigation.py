"""One menu for the whole site: grouped by layer, showing each user only what they can use, with breadcrumbs."""
import re

import pytest
from django.test import Client

from openftz.einvoice.models import Member
from openftz.parties.models import Party
from openftz.procurement.models import ProcurementProfile

from .tracker.conftest import make_user

pytestmark = pytest.mark.django_db


def menu_of(client: Client, path: str = "/") -> dict[str, list[str]]:
    """The menu a page shows: layer → the labels of its links."""
    page = client.get(path).content.decode()
    nav = page[page.index('id="site-menu"'):page.index("</nav>", page.index('id="site-menu"'))]
    groups = re.findall(r'dropdown-toggle[^>]*>([^<]+)</button>\s*<ul class="dropdown-menu">(.*?)</ul>', nav, re.S)
    return {layer: re.findall(r'class="dropdown-item[^"]*"[^>]*>([^<]+)</a>', links) for layer, links in groups}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_public_sees_three_layers_and_nothing_it_cannot_use():
    menu = menu_of(Client(), "/en/")
    assert list(menu) == ["Rulebook", "Tracker", "Services"]
    assert menu["Tracker"] == ["Public progress"]
    assert "Dashboard" not in sum(menu.values(), []) and "E-invoices" not in menu["Services"]
    assert "Challenges" not in menu["Services"] and "Data export approvals" not in menu["Services"]
    assert {"Data export", "Procurement", "Transferable records", "Ledger"} <= set(menu["Services"])


def test_each_role_sees_what_its_permissions_allow():
    coordinator = menu_of(signed_in(make_user("coord", "coordinator")), "/en/")
    assert {"Dashboard", "Tasks", "Reviews", "Risks", "Excel"} <= set(coordinator["Tracker"])
    assert "Data export approvals" in coordinator["Services"]  # the coordinator is the zone administration
    officer = menu_of(signed_in(make_user("customs", "unit_officer", "上海海关")), "/en/")
    assert {"Dashboard", "Tasks", "Risks"} <= set(officer["Tracker"]) and "Reviews" not in officer["Tracker"]
    enterprise = menu_of(signed_in(make_user("firm", "enterprise")), "/en/")
    assert "Dashboard" not in enterprise["Tracker"] and "Award cases" in enterprise["Tracker"]


def test_an_e_invoice_participant_and_a_supplier_see_their_services():
    party = Party.objects.create(id="nav-firm", name_zh="导航测试公司", foreign_scheme="GB-COH", foreign_id="01234567")
    seller = make_user("seller")
    Member.objects.create(user=seller, party=party)
    assert {"E-invoices", "Sent invoices"} <= set(menu_of(signed_in(seller), "/en/")["Services"])
    supplier = make_user("supplier")
    ProcurementProfile.objects.create(user=supplier, role="supplier", party=party)
    assert {"Challenges", "Debriefings", "Debarments"} <= set(menu_of(signed_in(supplier), "/en/")["Services"])


def test_menu_and_breadcrumbs_follow_the_language_and_the_page():
    zh = Client().get("/tracker/progress/").content.decode()
    assert ">落实</button>" in zh and ">公开进展</a>" in zh
    en = Client().get("/en/tracker/progress/").content.decode()
    crumbs = re.search(r'<ol class="breadcrumb[^"]*">(.*?)</ol>', en, re.S).group(1)
    assert re.findall(r">([^<>]+)</(?:a|li)>", crumbs) == ["Home", "Tracker", "Public progress"]
    assert 'aria-current="page"' in crumbs


def test_a_refusal_says_why_and_where_to_go_instead():
    client = signed_in(make_user("firm", "enterprise"))
    page = client.get("/en/tracker/dashboard/")
    body = page.content.decode()
    assert page.status_code == 403
    assert "You may not do this here" in body and 'id="page-error"' in body
    where = body[body.index("Where to go instead"):]
    assert "/en/tracker/progress/" in where and "/en/tracker/dashboard/" not in where
