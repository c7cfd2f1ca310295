"""The wizard's report items, the stored report, its Word download and its server-rendered PDF."""
import io
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pypdf import PdfReader

from openftz.dataexport.models import SelfAssessment

pytestmark = pytest.mark.django_db

CONTRACT = {"recipient_foreign_judicial_authority": "no", "important_data": "no", "state_organ": "no",
            "personal_info_people": "150000", "sensitive_personal_info_people": "0", "collected_abroad_only": "no",
            "purpose": "none", "ftz_registered": "no", "ciio": "no"}
ASSESSMENT = {"recipient_foreign_judicial_authority": "no", "important_data": "yes", "exports_personal_information": "no"}
EXEMPT = {**CONTRACT, "personal_info_people": "50000"}


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_mechanism_is_asked_after_a_contract_decision_only(client):
    page = client.get("/dataexport/assess/", CONTRACT).content.decode()
    assert 'id="q-mechanism"' in page and 'value="certification"' in page
    assessment = client.get("/dataexport/assess/", ASSESSMENT).content.decode()
    assert 'id="q-mechanism"' not in assessment and 'id="items"' in assessment


def test_important_data_asks_whether_personal_information_goes_too(client):
    """Important data decides before the counts are asked; PIPL Art. 56's items depend on the answer."""
    first = {"recipient_foreign_judicial_authority": "no", "important_data": "yes"}
    assert 'id="q-exports_personal_information"' in client.get("/dataexport/assess/", first).content.decode()
    with_pi = client.get("/dataexport/assess/", {**first, "exports_personal_information": "yes"}).content.decode()
    assert 'id="items"' in with_pi and "PIPL-56.1" in with_pi and 'name="item_own_measures"' in with_pi
    assert 'id="q-exports_personal_information"' not in client.get("/dataexport/assess/", {**CONTRACT, "mechanism": "certification"}).content.decode()


def test_the_items_form_asks_each_topic_of_the_chosen_mechanism(client):
    page = client.get("/dataexport/assess/", {**CONTRACT, "mechanism": "standard_contract"}).content.decode()
    assert 'name="item_purpose"' in page and 'name="item_contract_conformity"' in page
    assert 'name="item_terms_onward_transfer"' not in page  # an Art. 9 legal-document term of the security assessment
    assert "SCM-5.1" in page and "PIPL-56.1" in page
    assessment = client.get("/dataexport/assess/", ASSESSMENT).content.decode()
    assert 'name="item_terms_onward_transfer"' in assessment and 'name="item_contract_conformity"' not in assessment
    assert "PIPL-56.1" not in assessment  # important data only: no personal information, no PIPIA


def save(client, answers, items):
    return client.post("/dataexport/assess/", {**answers, **{f"item_{k}": v for k, v in items.items()}})


def test_the_report_covers_every_item_and_marks_the_unanswered(client):
    response = save(client, {**CONTRACT, "mechanism": "standard_contract"},
                    {"purpose": "为海外客户提供售后服务", "recipient_name": "Acme GmbH", "recipient_country": "德国"})
    assert response.status_code == 302
    record = SelfAssessment.objects.get()
    assert response["Location"] == f"/dataexport/assess/{record.token}/"
    assert record.item_answers == {"purpose": "为海外客户提供售后服务", "recipient_name": "Acme GmbH", "recipient_country": "德国"}
    page = client.get(response["Location"]).content.decode()
    assert 'data-pathway="standard_contract_or_certification"' in page
    assert 'data-total="10"' in page and 'data-unanswered="8"' in page  # SCM-5.1…5.6, SCM-6, PIPL-56.1…3; 5.1 and 56.1 answered
    assert 'href="/measures/SH-38/"' in page
    assert page.count('class="item answered"') == 2 and "为海外客户提供售后服务" in page and "未作答" in page
    doc = client.get(f"/dataexport/assess/{record.token}/report.doc")
    assert doc["Content-Type"].startswith("application/msword") and "SCM-5.5" in doc.content.decode()


def test_the_pdf_holds_the_decision_the_items_and_the_answers(client):
    save(client, ASSESSMENT, {"purpose": "向德国总部提供车辆测试数据用于联合研发", "recipient_name": "Acme Automotive GmbH",
                              "terms_onward_transfer": "Onward transfer only with our written consent."})
    token = SelfAssessment.objects.get().token
    response = client.get(f"/dataexport/assess/{token}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "申报数据出境安全评估" in text and "Declare a CAC data export security assessment" in text
    assert "促进和规范数据跨境流动规定 第2条" in text and "SH-38" in text  # a citation of the decision, the plan measure
    assert "DSAM-5.1" in text and "DSAM-9.6" in text and "PIPL-56.1" not in text
    assert "向德国总部提供车辆测试数据用于联合研发" in text and "Onward transfer only with our written consent." in text
    assert "未作答 / Not answered" in text
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 2


def test_a_report_without_items_has_its_pdf_from_the_answers(client):
    page = client.get("/dataexport/assess/", EXEMPT).content.decode()
    assert 'data-pathway="exempt"' in page and 'id="download-pdf"' in page
    response = client.get("/dataexport/assess/report.pdf?" + urlencode(EXEMPT))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "免予申报安全评估" in text and "报告事项" not in text
    assert client.get("/dataexport/assess/report.pdf", {"important_data": "no"}).status_code == 400


def test_bad_answers_write_nothing(client):
    response = save(client, ASSESSMENT, {"purpose": "nul \x00 inside"})
    assert response.status_code == 422 and 'id="items-error"' in response.content.decode()
    assert save(client, ASSESSMENT, {"recipient_name": "x" * 201}).status_code == 422
    assert save(client, {**CONTRACT}, {"purpose": "no mechanism chosen"}).status_code == 422
    assert save(client, EXEMPT, {"purpose": "exempt: nothing to answer"}).status_code == 400
    assert save(client, {"important_data": "yes"}, {"purpose": "incomplete"}).status_code == 400
    assert not SelfAssessment.objects.exists()
    assert client.get("/dataexport/assess/no-such-token/report.pdf").status_code == 404


def test_the_english_report(client):
    save(client, {**CONTRACT, "mechanism": "certification"}, {})
    token = SelfAssessment.objects.get().token
    page = client.get(f"/en/dataexport/assess/{token}/").content.decode()
    assert "Sign the standard contract (and file it) or obtain certification" in page and "PICM-6.1" in page and "SCM-5.1" not in page


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["purpose", "recipient_name", "recipient_country", "terms_incidents", "other"]),
                       st.text(max_size=400), max_size=5))
def test_any_answers_give_a_report_or_a_clear_refusal(client, items):
    before = SelfAssessment.objects.count()
    response = save(client, ASSESSMENT, items)
    if response.status_code == 302:
        record = SelfAssessment.objects.latest("created_at")
        assert set(record.item_answers) <= set(items) and all(record.item_answers.values())
        assert client.get(response["Location"] + "report.pdf").content.startswith(b"%PDF-")
    else:
        assert response.status_code == 422 and 'id="items-error"' in response.content.decode()
        assert SelfAssessment.objects.count() == before
