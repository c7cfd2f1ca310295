"""Demo data of the data export service (演示数据): an enterprise with its representative, its approvals — a security
assessment result in force, a standard-contract filing whose contract term ends soon, a certificate whose renewal
deadline is near — two recorded transfers and an important-data notice, so that a newcomer sees the service alive.

Everything goes through the same services as real work (the representative records it), every note says 演示数据,
and the reminders are created by the daily job's own service. Dates are counted back from today and every period
comes from data/parameters/dataexport.yaml, so the demo holds whenever it is loaded; nothing is written when the
service already holds approvals, transfers or notices.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from openftz.core.errors import OpenFTZError
from openftz.core.parameters import parameter
from openftz.parties.models import Party
from openftz.parties.services import party_create

from . import rules, services, validity
from .models import Approval, ImportantDataNotice, RecordedTransfer

DEMO_PASSWORD = "openftz-demo"
PARTY = "demo-dataexport-auto"
USERNAME = "dataexport-demo"
NOTE = "演示数据 / demo data"
ASSESSED = {"sector": "智能网联汽车", "category": "车外视频图像数据"}
CONTRACTED = {"sector": "汽车销售", "category": "车主联系信息"}
NOTIFIED = {"sector": "智能网联汽车", "category": "测绘地理信息"}
PATHS = ("/dataexport/assess/", "/dataexport/approvals/")


class DemoRefused(OpenFTZError):
    code = "demo_refused"


def dataexport_is_empty() -> bool:
    return not (Approval.objects.exists() or RecordedTransfer.objects.exists() or ImportantDataNotice.objects.exists())


def _raw(*, people: int, important: bool, countries: list[str], category: dict) -> dict:
    return {"processor": {"ciio": False, "state_organ": False, "ftz_registered": False},
            "transfer": {"recipient_foreign_judicial_authority": False, "important_data": important, "personal_info_people": people,
                         "sensitive_personal_info_people": 0, "collected_abroad_only": False, "purpose": None, "ftz_negative_list": None,
                         "recipient_countries": countries, "categories": [category]}}


@transaction.atomic
def demo_load(*, today: dt.date) -> tuple[str, str]:
    """Fill an empty data export service; return the demo account as (user name, party)."""
    if not dataexport_is_empty():
        raise DemoRefused("数据出境服务中已有数据，不载入演示数据", "the data export service holds data: demo data is only loaded into an empty service")
    if not Party.objects.filter(pk=PARTY).exists():
        party_create(party_id=PARTY, name_zh="上海示例智能汽车有限公司（演示）", name_en="Shanghai Example Smart Auto Co. (demo)",
                     uscc="91310115MA1H8DEM0Y")
    user, created = get_user_model().objects.get_or_create(username=USERNAME)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    services.representative_set(username=USERNAME, party_id=PARTY)

    def record(**kw):
        return services.approval_record(actor=user, party_id=PARTY, note=NOTE, today=today, **kw)[0]

    # A security assessment result issued 13 months ago: in force, its extension window still to come.
    assessment = record(kind="security_assessment", reference="演示-沪网信评〔2025〕001", granted_on=validity.add_months(today, -13),
           recipient_countries=["DE"], categories=[ASSESSED])
    # A standard contract filed within the filing period; its own term ends on the day of its first expiry reminder.
    effective = validity.add_months(today, -11)
    first_reminder = max(parameter("dataexport", "expiry_reminder_days").at(today))
    contract = record(kind="standard_contract", reference="演示-沪备〔2025〕SC-017", granted_on=validity.filing_deadline(effective)[0].day,
                      contract_effective_on=effective, contract_valid_until=today + dt.timedelta(days=first_reminder),
                      recipient_countries=["DE", "SG"], categories=[CONTRACTED])
    # A certificate whose renewal deadline (certification again N months before expiry) comes within the first
    # reminder period; a certificate is granted no earlier than the certification measures are in force, so until
    # three years after that it is the newest possible one and its deadline shows on the page without a reminder yet.
    months = parameter("dataexport", "certification_renewal_deadline_months").at(today)
    years = parameter("dataexport", "certification_validity_years").at(today)
    first = parameter("dataexport", "certification_validity_years").values[0][0]
    granted = max(validity.add_months(today + dt.timedelta(days=first_reminder), months - 12 * years), first)
    record(kind="certification", reference="演示-CQC-PI-2026-0042", granted_on=min(granted, today),
           recipient_countries=["SG"], categories=[CONTRACTED])
    # Two transfers: personal information under the standard contract, and the assessed important data.
    thresholds = rules.Thresholds.on(today)
    for days_ago, raw, description, approval in (
        (20, _raw(people=(thresholds.contract + thresholds.assessment) // 4, important=False, countries=["DE"], category=CONTRACTED),
         "演示数据：车主联系信息传至德国售后中心 / demo: owners' contact details to the after-sales centre in Germany", contract.pk),
        (6, _raw(people=0, important=True, countries=["DE"], category=ASSESSED),
         "演示数据：车外视频图像传至德国研发中心 / demo: exterior camera images to the R&D centre in Germany", assessment.pk),
    ):
        services.transfer_record(actor=user, party_id=PARTY, on=today - dt.timedelta(days=days_ago), raw=raw, description=description,
                                 approval_id=approval)
    # Told a month ago that its mapping data is important data: the application deadline comes in the first reminder period.
    application_months = parameter("dataexport", "important_data_assessment_application_months").at(today)
    first_notice_reminder = max(parameter("dataexport", "important_data_application_reminder_days").at(today))
    services.important_data_notice_record(
        actor=user, party_id=PARTY, notified_on=validity.add_months(today + dt.timedelta(days=first_notice_reminder), -application_months),
        reference="演示-沪网信告〔2026〕003", notified_by="上海市网信办（演示）", categories=[NOTIFIED], note=NOTE, today=today)
    services.reminders_tick(today=today)  # the daily job's work, as it would run today
    return USERNAME, PARTY
