"""Pages of procurement (zh at /procurement/…, en at /en/procurement/…), thin over services and selectors: the check
page (合规检查), where a supervisor uploads OCDS data and reads the findings by rule and by release, and the workflow."""
from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_POST

from openftz.core.downloads import offer
from openftz.core.errors import NotFound, OpenFTZError
from openftz.core.parameters import parameter

from . import checking, forms, notices, retention, selectors, services
from .permissions import Action, Forbidden, can, require, role_of
from .report import write_xlsx
from .rules import RULES


def _guard(view):
    """Render a NotFound or Forbidden raised while reading as a page with its status."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Forbidden) as exc:
            message = exc.message_en if get_language() == "en" else exc.message_zh
            return render(request, "procurement/error.html", {"message": message}, status=exc.status)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _refused(request, exc: OpenFTZError) -> None:
    messages.error(request, exc.message_en if get_language() == "en" else exc.message_zh)


def _upload(f) -> services.Upload:
    """An uploaded file, read up to one byte past the limit (so that an oversized one is refused, not read whole)."""
    limit = parameter("procurement", "evidence_max_bytes").at(retention.today())
    return services.Upload(f.name or "evidence", f.read(limit + 1))


def _ctx(request, **extra) -> dict:
    today = retention.today()
    params = {name: parameter("procurement", name).at(today) for name in
              ("challenge_window_days", "debarment_lookback_years", "record_retention_years", "debriefing_answer_days")}
    return {"role": role_of(request.user), "params": params, **extra}


def home(request: HttpRequest) -> HttpResponse:
    method = request.GET.get("method") if request.GET.get("method") in ("open", "selective", "limited") else None
    rows = list(selectors.procedures(method=method))
    return render(request, "procurement/home.html", _ctx(
        request, procedures=rows, method=method, can_create=can(request.user, Action.CREATE_PROCEDURE),
        procurement_demo=any(p.is_demo for p in rows)))


@_guard
def procedure_detail(request: HttpRequest, ocid: str) -> HttpResponse:
    procedure = selectors.procedure(ocid)
    user = request.user
    compiled = procedure.compiled
    officer = can(user, Action.ADD_RELEASE, procedure)
    return render(request, "procurement/procedure.html", _ctx(
        request, p=procedure, tender=compiled.get("tender") or {}, awards=compiled.get("awards") or [],
        contracts=compiled.get("contracts") or [], releases=procedure.releases.order_by("seq"),
        notices=notices.available(compiled), officer=officer and not procedure.ended_on,
        can_challenge=can(user, Action.FILE_CHALLENGE, procedure),
        can_debrief=can(user, Action.REQUEST_DEBRIEFING, procedure) and bool(compiled.get("awards")),
        challenges=selectors.challenges(user, ocid=ocid) if user.is_authenticated else [],
        debriefings=selectors.debriefings(user, ocid=ocid) if user.is_authenticated else [],
        audit=selectors.audit(user, ocid=ocid, limit=50) if can(user, Action.VIEW_AUDIT, procedure) else [],
        confidential=procedure.confidential_items.select_related("supplier") if officer else [],
        exclusions=procedure.exclusions.select_related("supplier"),
        forms={"tenderers": forms.TenderersForm(), "award": forms.AwardForm(), "contract": forms.ContractForm(),
               "end": forms.EndForm(), "confidential": forms.ConfidentialForm(), "exclude": forms.ExclusionForm()},
        procurement_demo=procedure.is_demo))


@require_POST
@login_required
@_guard
def procedure_action(request: HttpRequest, ocid: str, action: str) -> HttpResponse:
    """The officer's stage forms: tenderers, award, contract, end; confidential items; exclusions."""
    procedure = selectors.procedure(ocid)
    form_class = {"tenderers": forms.TenderersForm, "award": forms.AwardForm, "contract": forms.ContractForm,
                  "end": forms.EndForm, "confidential": forms.ConfidentialForm, "exclude": forms.ExclusionForm}.get(action)
    if form_class is None:
        raise NotFound("没有该操作", "there is no such action")
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("procurement:procedure", ocid=ocid)
    d, actor = form.cleaned_data, request.user
    try:
        if action == "tenderers":
            ids = [t.strip() for t in d["tenderers"].split(",") if t.strip()]
            services.procedure_release_add(actor=actor, procedure=procedure, tag="tenderUpdate", tenderers=ids, via="page")
        elif action == "award":
            award_id = str(len(procedure.compiled.get("awards") or []) + 1)
            award = {"id": award_id, "suppliers": [{"id": d["supplier"]}], "value": {"amount": float(d["amount"]), "currency": "CNY"}}
            if d["title"]:
                award["title"] = d["title"]
            services.procedure_release_add(actor=actor, procedure=procedure, tag="award", awards=[award], via="page")
        elif action == "contract":
            contract_id = f"C{len(procedure.compiled.get('contracts') or []) + 1}"
            services.procedure_release_add(actor=actor, procedure=procedure, tag="contract", via="page", contracts=[{
                "id": contract_id, "awardID": d["award"], "value": {"amount": float(d["amount"]), "currency": "CNY"},
                "dateSigned": f"{d['date_signed'].isoformat()}T00:00:00+08:00", "status": "active"}])
        elif action == "end":
            services.procedure_end(actor=actor, procedure=procedure, status=d["status"], via="page")
        elif action == "confidential":
            services.confidential_mark(actor=actor, procedure=procedure, supplier_id=d["supplier"], text=d["text"], note=d["note"],
                                       via="page")
        else:
            services.supplier_exclude(actor=actor, procedure=procedure, debarment=selectors.debarment(d["debarment"]), via="page")
        messages.success(request, _("Saved."))
    except OpenFTZError as exc:
        _refused(request, exc)
    return redirect("procurement:procedure", ocid=ocid)


@login_required
@_guard
def procedure_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.CREATE_PROCEDURE)
    entity = request.user.procurement_profile.entity
    form = forms.ProcedureForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            procedure = services.procedure_create(
                actor=request.user, entity_id=entity.pk, method=d["method"], title=d["title"], title_en=d["title_en"],
                description=d["description"], description_en=d["description_en"],
                limited_grounds=[d["limited_ground"]] if d["limited_ground"] else [], rationale=d["rationale"],
                value_amount=d["value"], items=[services.TenderItem(d["item"], d["quantity"], d["unit"], d["estimated"])],
                tender_period_end=d["tender_period_end"], submission_details=d["submission_details"],
                eligibility_criteria=d["eligibility_criteria"], eligibility_criteria_en=d["eligibility_criteria_en"],
                fees=[services.Fee(d["fees"])] if d["fees"] else [], max_candidates=d["max_candidates"],
                selection_criteria=d["selection_criteria"], exclusion_grounds=d["exclusion_grounds"], via="page")
            messages.success(request, _("The procedure is registered and its notice published."))
            return redirect("procurement:procedure", ocid=procedure.ocid)
        except OpenFTZError as exc:
            _refused(request, exc)
            status = exc.status
    elif request.method == "POST":
        status = 422
    return render(request, "procurement/procedure_new.html", _ctx(request, form=form, entity=entity), status=status)


@_guard
def notice(request: HttpRequest, ocid: str, kind: str) -> HttpResponse:
    procedure = selectors.procedure(ocid)
    if kind not in notices.available(procedure.compiled):
        raise NotFound("该项目没有此类公告", "this procedure has no such notice")
    titles = {"tender": ("招标公告", "Tender notice"), "prequalification": ("资格预审公告", "Pre-qualification notice"),
              "award": ("中标(成交)结果公告", "Award notice")}
    return render(request, "procurement/notice.html", _ctx(
        request, p=procedure, kind=kind, title_zh=titles[kind][0], title_en=titles[kind][1],
        rows=notices.notice_rows(procedure.compiled, kind), procurement_demo=procedure.is_demo))


# — challenges

@login_required
@_guard
def challenge_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_CHALLENGE)
    rows = list(selectors.challenges(request.user, status=request.GET.get("status") or None))
    return render(request, "procurement/challenges.html", _ctx(request, challenges=rows, procurement_demo=any(c.is_demo for c in rows)))


@login_required
@_guard
def challenge_new(request: HttpRequest, ocid: str) -> HttpResponse:
    procedure = selectors.procedure(ocid)
    require(request.user, Action.FILE_CHALLENGE, procedure)
    form = forms.ChallengeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        upload = d.pop("evidence_file")
        files = [_upload(upload)] if upload else []
        try:
            challenge = services.challenge_file(actor=request.user, procedure=procedure, via="page", files=files, **d)
            messages.success(request, _("Your challenge is filed and has gone to the review body."))
            return redirect("procurement:challenge", pk=challenge.pk)
        except OpenFTZError as exc:
            _refused(request, exc)
            status = exc.status
    elif request.method == "POST":
        status = 422
    return render(request, "procurement/challenge_new.html", _ctx(request, p=procedure, form=form), status=status)


@login_required
@_guard
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge(pk)
    require(request.user, Action.VIEW_CHALLENGE, challenge)
    user = request.user
    open_ = challenge.status not in ("rejected_late", "rejected_inadmissible", "upheld", "dismissed", "withdrawn")
    return render(request, "procurement/challenge.html", _ctx(
        request, c=challenge, open=open_,
        can_route=can(user, Action.ROUTE_CHALLENGE, challenge) and challenge.status == "filed",
        can_decide=can(user, Action.DECIDE_CHALLENGE, challenge) and challenge.status == "accepted",
        can_state=can(user, Action.STATE_ON_CHALLENGE, challenge) and open_,
        can_withdraw=can(user, Action.WITHDRAW_CHALLENGE, challenge) and challenge.status in ("filed", "accepted"),
        route_form=forms.RouteForm(initial={"action": "reject_late" if challenge.late else "accept"}),
        decide_form=forms.DecideForm(), statement_form=forms.StatementForm(), withdraw_form=forms.WithdrawForm(),
        evidence_form=forms.EvidenceForm(), files=challenge.evidence_files.defer("content"),
        audit=selectors.audit(user, ocid=challenge.procedure.ocid, obj=challenge) if can(user, Action.VIEW_AUDIT, challenge) else [],
        procurement_demo=challenge.is_demo))


@require_POST
@login_required
@_guard
def challenge_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    challenge = selectors.challenge(pk)
    require(request.user, Action.VIEW_CHALLENGE, challenge)
    form_class = {"route": forms.RouteForm, "decide": forms.DecideForm, "statement": forms.StatementForm,
                  "withdraw": forms.WithdrawForm, "evidence": forms.EvidenceForm}.get(action)
    if form_class is None:
        raise NotFound("没有该操作", "there is no such action")
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("procurement:challenge", pk=pk)
    try:
        if action == "evidence":
            services.challenge_evidence_add(actor=request.user, challenge=challenge, via="page",
                                            uploads=[_upload(form.cleaned_data["evidence_file"])])
        else:
            call = {"route": services.challenge_route, "decide": services.challenge_decide,
                    "statement": services.challenge_statement, "withdraw": services.challenge_withdraw}[action]
            call(actor=request.user, challenge=challenge, via="page", **form.cleaned_data)
        messages.success(request, _("Saved."))
    except OpenFTZError as exc:
        _refused(request, exc)
    return redirect("procurement:challenge", pk=pk)


@login_required
@_guard
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    challenge = selectors.challenge(pk)
    require(request.user, Action.VIEW_CHALLENGE, challenge)
    evidence = challenge.evidence_files.filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound("没有该证明材料", "there is no such evidence file")
    response = HttpResponse(bytes(evidence.content), content_type=evidence.content_type)
    offer(response, evidence.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# — debriefings

@login_required
@_guard
def debriefing_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_DEBRIEFING)
    overdue = {"1": True, "0": False}.get(request.GET.get("overdue", ""))
    rows = [(d, selectors.is_overdue(d)) for d in selectors.debriefings(request.user, overdue=overdue)]
    return render(request, "procurement/debriefings.html", _ctx(request, rows=rows, overdue=overdue,
                                                                 procurement_demo=any(d.is_demo for d, _ in rows)))


@login_required
@_guard
def debriefing_new(request: HttpRequest, ocid: str) -> HttpResponse:
    procedure = selectors.procedure(ocid)
    require(request.user, Action.REQUEST_DEBRIEFING, procedure)
    form = forms.DebriefingRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            debriefing = services.debriefing_request(actor=request.user, procedure=procedure, via="page", **form.cleaned_data)
            messages.success(request, _("Your request is recorded; the procuring entity answers by the date shown."))
            return redirect("procurement:debriefing", pk=debriefing.pk)
        except OpenFTZError as exc:
            _refused(request, exc)
            status = exc.status
    elif request.method == "POST":
        status = 422
    return render(request, "procurement/debriefing_new.html", _ctx(request, p=procedure, form=form), status=status)


@login_required
@_guard
def debriefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    debriefing = selectors.debriefing(pk)
    require(request.user, Action.VIEW_DEBRIEFING, debriefing)
    can_answer = can(request.user, Action.ANSWER_DEBRIEFING, debriefing) and not debriefing.answered_at
    form = forms.DebriefingAnswerForm(request.POST or None)
    warnings, status = [], 200
    if request.method == "POST":
        require(request.user, Action.ANSWER_DEBRIEFING, debriefing)
        if form.is_valid():
            warnings = services.debriefing_check(debriefing=debriefing, answer=form.cleaned_data["answer"])
            if not warnings:
                try:
                    services.debriefing_answer(actor=request.user, debriefing=debriefing, answer=form.cleaned_data["answer"], via="page")
                    messages.success(request, _("The answer is sent."))
                    return redirect("procurement:debriefing", pk=pk)
                except OpenFTZError as exc:
                    _refused(request, exc)
                    status = exc.status
            else:
                status = 422
        else:
            status = 422
    others = [i for i in debriefing.procedure.confidential_items.select_related("supplier") if i.supplier_id != debriefing.supplier_id] \
        if can_answer else []
    return render(request, "procurement/debriefing.html", _ctx(
        request, d=debriefing, overdue=selectors.is_overdue(debriefing), can_answer=can_answer, form=form, warnings=warnings,
        others=others, procurement_demo=debriefing.is_demo), status=status)


# — the debarment register

@login_required
@_guard
def debarment_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_DEBARMENTS)
    profile = getattr(request.user, "procurement_profile", None)
    can_record = can(request.user, Action.RECORD_DEBARMENT, profile.entity) if profile and profile.entity else False
    form = forms.DebarmentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_record:
            raise Forbidden("您无权登记", "you may not register breaches")
        if form.is_valid():
            try:
                d = dict(form.cleaned_data)
                services.debarment_record(actor=request.user, entity_id=profile.entity_id, supplier_id=d.pop("supplier"), via="page", **d)
                messages.success(request, _("Saved."))
                return redirect("procurement:debarments")
            except OpenFTZError as exc:
                _refused(request, exc)
                status = exc.status
        else:
            status = 422
    rows = list(selectors.debarments(request.user))
    return render(request, "procurement/debarments.html", _ctx(request, rows=rows, form=form, can_record=can_record,
                                                                procurement_demo=any(d.is_demo for d in rows)), status=status)


@login_required
@_guard
def debarment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    debarment = selectors.debarment(pk)
    require(request.user, Action.VIEW_DEBARMENTS, debarment)
    return render(request, "procurement/debarment.html", _ctx(
        request, d=debarment, exclusions=debarment.exclusions.select_related("procedure"), procurement_demo=debarment.is_demo))


# — the check page ———————————————————————————————————————————————————————————————————————————

SHOWN_RELEASES = 500   # releases listed on the page; the Excel workbook has them all
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(results: list[dict], day: dt.date) -> HttpResponse:
    buffer = io.BytesIO()
    write_xlsx(results, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    return offer(response, f"procurement-check-{day.isoformat()}.xlsx")


def check_page(request: HttpRequest) -> HttpResponse:
    english = (get_language() or "").startswith("en")
    context = _ctx(request, english=english, max_mb=checking.MAX_UPLOAD_BYTES // (1024 * 1024), rules=list(RULES.values()),
                   today=checking.today())
    if request.method != "POST":
        return render(request, "procurement/check.html", context)
    upload = request.FILES.get("file")
    on = None
    if request.POST.get("on"):
        try:
            on = dt.date.fromisoformat(request.POST["on"])
        except ValueError:
            context["error"] = ("日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD")
            return render(request, "procurement/check.html", context, status=400)
    if upload is None:
        context["error"] = ("请选择文件", "choose a file")
        return render(request, "procurement/check.html", context, status=400)
    try:
        report = checking.check_upload(upload, on=on)
    except OpenFTZError as exc:
        context["error"] = (exc.message_zh, exc.message_en)
        context["line_errors"] = (exc.details or {}).get("lines", []) if isinstance(exc.details, dict) else []
        return render(request, "procurement/check.html", context, status=exc.status)
    if request.POST.get("format") == "xlsx":
        return _xlsx_response(report.results, report.on)
    token = checking.report_keep(report)
    titles = {spec.id: spec for spec in RULES.values()}
    by_rule = [(titles.get(c.rule), c) for c in report.summary.by_rule.values()]
    flagged = [r for r in report.releases if r["findings"]]
    context.update({
        "report": report, "by_rule": by_rule, "token": token, "file_name": upload.name,
        "flagged": flagged[:SHOWN_RELEASES], "flagged_total": len(flagged), "clean": len(report.releases) - len(flagged),
    })
    return render(request, "procurement/check.html", context)


def report_xlsx(request: HttpRequest, token: str) -> HttpResponse:
    stored = checking.report_get(token)
    if stored is None:
        raise Http404("this report has expired; check the file again")
    day, results = stored
    return _xlsx_response(results, day)
