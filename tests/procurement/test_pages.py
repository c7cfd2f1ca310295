"""The workflow's pages, zh and en: procedures, notices from the OCDS data, challenges, debriefings, the register."""
import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from openftz.procurement import services
from openftz.procurement.models import Challenge, Debriefing

from .conftest import T0, awarded_procedure, open_procedure


def test_the_procedure_list_and_page_in_both_languages(client, world):
    procedure = awarded_procedure(world)
    zh = client.get("/procurement/").content.decode()
    en = client.get("/en/procurement/").content.decode()
    assert procedure.ocid in zh and "医用影像设备采购" in zh and "政府采购" in zh
    assert "Government procurement in the zone" in en and "Procurement of medical imaging equipment" in en
    page = client.get(f"/procurement/procedures/{procedure.ocid}/").content.decode()
    assert "招标公告" in page and "中标(成交)结果公告" in page and procedure.releases.last().release_id in page
    assert client.get("/procurement/procedures/ocds-none-1/").status_code == 404


def test_a_notice_shows_both_languages_from_the_data_and_says_where_english_is_missing(client, world):
    procedure = open_procedure(world, description_en="")
    for prefix in ("", "/en"):
        page = client.get(f"{prefix}/procurement/procedures/{procedure.ocid}/notice/tender/").content.decode()
        assert "医用影像设备采购" in page and "Procurement of medical imaging equipment" in page
        assert "采购CT设备一台" in page and "English text not provided by the procuring entity" in page
    assert client.get(f"/procurement/procedures/{procedure.ocid}/notice/award/").status_code == 404
    untranslated = open_procedure(world, title_en="")
    page = client.get(f"/en/procurement/procedures/{untranslated.ocid}/notice/tender/").content.decode()
    assert page.count("English text not provided") >= 2


def test_the_prequalification_notice_carries_the_sh73_items(client, world):
    procedure = open_procedure(world, method="selective", fees=[services.Fee("资格预审文件免费领取", Decimal(0))],
                               max_candidates=5, selection_criteria="资格得分前五名")
    page = client.get(f"/procurement/procedures/{procedure.ocid}/notice/prequalification/").content.decode()
    for label in ("采购人", "地址", "联系方式", "费用和付款条件", "拟采购" if False else "货物或服务", "提交资格预审申请的截止时间",
                  "提交地址与方式", "资格要求", "邀请合格供应商数量上限", "选择标准"):
        assert label in page, label
    assert "张杨路100号" in page and "资格得分前五名" in page


def test_an_award_notice_names_the_successful_supplier_in_both_languages(client, world):
    procedure = awarded_procedure(world)
    page = client.get(f"/en/procurement/procedures/{procedure.ocid}/notice/award/").content.decode()
    assert "阿尔法医疗" in page and "Alpha-Med" in page and "3,300,000 CNY" in page


def test_a_supplier_files_a_challenge_through_the_page_and_the_review_body_decides_it(client, world):
    procedure = awarded_procedure(world)
    client.force_login(world["users"]["beta"])
    assert 'id="file-challenge"' in client.get(f"/procurement/procedures/{procedure.ocid}/").content.decode()
    scan = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(32), "image/png")
    response = client.post(f"/procurement/procedures/{procedure.ocid}/challenge/",
                           {"grounds": "评分错误", "knew_on": dt.date.today().isoformat(), "evidence_file": scan})
    challenge = Challenge.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/procurement/challenges/{challenge.pk}/"
    assert "scan.png" in client.get(response["Location"]).content.decode()
    bad = client.post(f"/procurement/procedures/{procedure.ocid}/challenge/", {"grounds": "x", "knew_on": "2999-01-01"})
    assert bad.status_code == 422 and Challenge.objects.count() == 1
    assert client.post(f"/procurement/challenges/{challenge.pk}/route/", {"action": "accept"}).status_code == 302
    assert Challenge.objects.get().status == "filed"  # refused: a supplier does not route
    client.force_login(world["users"]["review"])
    client.post(f"/procurement/challenges/{challenge.pk}/route/", {"action": "accept"})
    review_page = client.get(f"/procurement/challenges/{challenge.pk}/").content.decode()
    assert 'id="decide-form"' in review_page and "challenge_accept" in review_page  # the audit trail
    client.post(f"/procurement/challenges/{challenge.pk}/decide/", {"outcome": "uphold", "decision_text": "责令重新评审"})
    client.force_login(world["users"]["beta"])
    page = client.get(f"/en/procurement/challenges/{challenge.pk}/").content.decode()
    assert "Upheld" in page and "责令重新评审" in page
    client.force_login(world["users"]["alpha"])
    assert client.get(f"/procurement/challenges/{challenge.pk}/").status_code == 403


def test_the_answer_form_warns_on_another_suppliers_trade_secret(client, world):
    procedure = awarded_procedure(world)
    services.confidential_mark(actor=world["users"]["officer"], procedure=procedure, supplier_id="alpha-med", text="质保8年")
    debriefing = services.debriefing_request(actor=world["users"]["beta"], procedure=procedure, when=T0 + dt.timedelta(days=46))
    client.force_login(world["users"]["officer"])
    page = client.post(f"/procurement/debriefings/{debriefing.pk}/", {"answer": "中标人承诺质保8年"})
    assert page.status_code == 422 and 'id="secret-warnings"' in page.content.decode() and "质保8年" in page.content.decode()
    assert Debriefing.objects.get().answer == ""
    client.post(f"/procurement/debriefings/{debriefing.pk}/", {"answer": "中标人的质保期更长"})
    assert Debriefing.objects.get().answer == "中标人的质保期更长"
    listing = client.get("/procurement/debriefings/").content.decode()
    assert "overdue" in listing  # requested in March 2025, due a week later


def test_the_register_page_and_the_new_procedure_form(client, world):
    client.force_login(world["users"]["officer"])
    response = client.post("/procurement/debarments/", {"supplier": "gamma-med", "contract_reference": "HT-1", "breach_on": "2024-01-01",
                                                        "decided_on": "2024-02-01", "grounds": "拒不交付"})
    assert response.status_code == 302
    assert "HT-1" in client.get("/procurement/debarments/").content.decode()
    response = client.post("/procurement/procedures/new/", {"method": "limited", "limited_ground": "urgency", "title": "应急防汛物资",
                                                 "item": "沙袋", "quantity": "5000", "unit": "个"})
    assert response.status_code == 302
    page = client.get(response["Location"].replace("/procurement/", "/en/procurement/", 1)).content.decode()
    assert "应急防汛物资" in page
    refused = client.post("/procurement/procedures/new/", {"method": "limited", "title": "x", "item": "y"})
    assert refused.status_code == 422
    client.force_login(world["users"]["beta"])
    assert client.get("/procurement/procedures/new/").status_code == 403
    client.logout()
    assert client.get("/procurement/challenges/").status_code == 302  # to the login page
