"""Pages of the tracker: the public progress view, the dashboard, tasks and reports, risks, cases, feedback, Excel.

Each view parses a form, calls one service and shows the result; a service's OpenFTZError becomes a message
in the user's language and the matching status code (403 for another unit's task), with nothing written.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openftz.core.downloads import offer
from openftz.core.errors import NotFound, OpenFTZError

from . import selectors, services
from .excel import export_workbook, import_workbook
from .forms import (
    AnswerForm, CaseForm, DispositionForm, FeedbackForm, ImportForm, MilestoneForm, ReportForm, ReviewForm, RiskForm, ScoreForm,
    status_choices,
)
from .choices import MeasureStatus, Rag, Status
from .pagecache import cached_page, served_fast
from .permissions import Action, Forbidden, can, require, role_of


TASKS_PER_PAGE = 50  # rows of the task list per page (a page size, not a legal number)


def _message(exc: OpenFTZError) -> str:
    return exc.message_en if (get_language() or "").startswith("en") else exc.message_zh


def _page_error(request: HttpRequest, exc: OpenFTZError) -> HttpResponse:
    return render(request, "tracker/error.html", {"error": exc, "message": _message(exc)}, status=exc.status)


def _guard(view):
    """Render an OpenFTZError raised while reading (404, 403) as a page with its status."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Forbidden) as exc:
            return _page_error(request, exc)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _run(request: HttpRequest, action) -> tuple[HttpResponse | None, int]:
    """Run a page's POST action. It returns a redirect when done, None when its form is invalid. Returns the
    response to send (the redirect, or a 403 page) or None with the status to render the page again with."""
    try:
        response = action()
    except ValueError:
        messages.error(request, _("Unknown item."))
        return None, 400
    except Forbidden as exc:
        return _page_error(request, exc), exc.status
    except OpenFTZError as exc:
        messages.error(request, _message(exc))
        return None, exc.status
    return (response, 302) if response is not None else (None, 400)


def _form_errors(form) -> str:
    return "; ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items())


# — public ——————————————————————————————————————————————————————————————————————————


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _chapter_label(chapter: dict) -> str:
    title = chapter["title_en"] if _english() and chapter.get("title_en") else chapter["title"]
    return f"{chapter['number']}. {title}"


def _choice(value: str | None, allowed) -> str | None:
    """A filter's GET value if it is one of ``allowed``, else None (an unknown value filters nothing)."""
    return value if value in allowed else None


@served_fast("public", Action.VIEW_PUBLIC)
def public_progress(request: HttpRequest) -> HttpResponse:
    """Every Shanghai measure's progress, filtered by chapter, unit and status (GET); the page is cached per data
    version, language and query, and the data behind it read only when it has to be rendered again."""

    def data():
        d = dict(selectors.public_progress())
        chapters = {str(c["number"]): c for c in d["chapters"]}
        units = sorted({u for m in d["measures"] for u in m.units})
        wanted = {"chapter": _choice(request.GET.get("chapter"), chapters), "unit": _choice(request.GET.get("unit"), units),
                  "status": _choice(request.GET.get("status"), MeasureStatus.values)}
        d["rows"] = selectors.measures_filtered(d["measures"], chapter=wanted["chapter"], unit=wanted["unit"],
                                                status=wanted["status"])
        d["filters"] = {"wanted": wanted, "chapters": [(str(c["number"]), _chapter_label(c)) for c in d["chapters"]],
                        "units": units, "statuses": MeasureStatus.choices}
        d["chart"] = {"labels": [_chapter_label(c) for c in d["chapters"]], "values": [c["progress"] for c in d["chapters"]],
                      "axis": {"progress": str(_("Progress"))}}
        return d

    return cached_page(request, "public", lambda: render(request, "tracker/public.html", {
        "d": SimpleLazyObject(data), "units": SimpleLazyObject(selectors.units_by_name), "demo": selectors.has_demo_data()}))


@served_fast("public_measure", Action.VIEW_PUBLIC)
@_guard
def public_measure(request: HttpRequest, measure_id: str) -> HttpResponse:
    data = selectors.measure_public(measure_id)
    form = FeedbackForm()
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.feedback_ask(actor=request.user, measure=data["measure"], **form.cleaned_data)
            except OpenFTZError as exc:
                return _page_error(request, exc)
            messages.success(request, _("Thank you: the responsible unit will answer."))
            return redirect("tracker:public_measure", measure_id=data["measure"].id)
    return cached_page(request, "public_measure", lambda: render(request, "tracker/public_measure.html", {
        **data, "form": form, "can_ask": can(request.user, Action.ASK_FEEDBACK, data["measure"]), "demo": selectors.has_demo_data(),
    }))


# — signed-in pages ———————————————————————————————————————————————————————————————————


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if can(request.user, Action.VIEW_DASHBOARD):
        return redirect("tracker:dashboard")
    return redirect("tracker:feedback")


@served_fast("dashboard", Action.VIEW_DASHBOARD)
@login_required
@_guard
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_DASHBOARD)

    def data():
        d = dict(selectors.dashboard())
        units = selectors.units_by_name()
        english = _english()
        unit_labels = [units[u].name_en if english and u in units and units[u].name_en else u for u in d["units"]]
        d["charts"] = {key: d[key] for key in ("chapters", "heatmap", "timeline", "rag_counts")}
        d["charts"].update({
            "units": unit_labels, "chapter_labels": [_chapter_label(c) for c in d["chapters"]],
            "labels": {"red": str(_("Overdue")), "amber": str(_("At risk")), "green": str(_("On track")),
                       "grey": str(_("Stopped")), "tasks": str(_("Tasks")), "progress": str(_("Average progress"))},
        })
        return d

    # as on the public page: the data is read only when the page has to be rendered again
    return cached_page(request, "dashboard", lambda: render(request, "tracker/dashboard.html", {
        "d": SimpleLazyObject(data), "demo": selectors.has_demo_data()}))


@served_fast("tasks", Action.VIEW_DASHBOARD)
@login_required
@_guard
def task_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_DASHBOARD)

    def page():
        options = selectors.task_filter_options(user=request.user)
        units = {u.name for u in options["units"]}
        deadlines = {d.isoformat() for d in options["deadlines"]} | {"none", "past"}
        chapters = {str(c.number) for c in options["chapters"]}
        measure = (request.GET.get("measure") or "").strip()[:16] or None
        params = {"measure": measure, "unit": _choice(request.GET.get("unit"), units),
                  "chapter": _choice(request.GET.get("chapter"), chapters), "status": _choice(request.GET.get("status"), Status.values),
                  "rag": _choice(request.GET.get("rag"), Rag.values), "due": _choice(request.GET.get("due"), deadlines)}
        rows = selectors.tasks(user=request.user, **{**params, "chapter": int(params["chapter"]) if params["chapter"] else None})
        paginator = Paginator(rows, TASKS_PER_PAGE)
        page_ = paginator.get_page(request.GET.get("page"))
        query = urlencode({k: v for k, v in params.items() if v})
        return render(request, "tracker/tasks.html", {
            "page": page_, "paginator": paginator, "params": params, "query": query, "options": options,
            "statuses": Status.choices, "rags": Rag.choices, "demo": selectors.has_demo_data()})

    return cached_page(request, "tasks", page)


@served_fast("task", Action.VIEW_TASK, selectors.task_scope)
@login_required
@require_http_methods(["GET", "POST"])
@_guard
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    if request.method == "GET":  # who may see it is checked before anything else is read or served from the cache
        require(request.user, Action.VIEW_TASK, selectors.task_scope(task_id))
        return cached_page(request, "task", lambda: _task_page(request, selectors.task_get(task_id)))
    task = selectors.task_get(task_id)
    require(request.user, Action.VIEW_TASK, task)
    forms_ = _task_forms(request, task)
    response, status = _run(request, lambda: _task_post(request, task, forms_))
    return response if response is not None else _task_page(request, task, forms_, status)


def _task_forms(request: HttpRequest, task) -> dict:
    """The task page's forms. Status and progress change on one path only: a progress report, which becomes the
    task's status and progress when the coordinator accepts it (docs/tracker.md). Its status list offers only what
    this user may choose (the services check it again)."""
    choices = status_choices(task.status, may_stop=can(request.user, Action.STOP_TASK, task))
    return {"report_form": ReportForm(initial={"status": task.status, "progress": task.progress}, choices=choices),
            "milestone_form": MilestoneForm()}


def _task_page(request: HttpRequest, task, forms_: dict | None = None, status: int = 200) -> HttpResponse:
    return render(request, "tracker/task.html", {
        "task": task, **(forms_ or _task_forms(request, task)), "reports": selectors.task_reports(task),
        "milestones": selectors.task_milestones(task), "history": selectors.task_history(task)[:200], "review_form": ReviewForm(),
        "can_update": can(request.user, Action.UPDATE_TASK, task), "can_review": can(request.user, Action.REVIEW_REPORT),
        "demo": selectors.has_demo_data(),
    }, status=status)


def _task_post(request: HttpRequest, task, forms_: dict) -> HttpResponse | None:
    action = request.POST.get("action")
    if action == "report":
        form = forms_["report_form"] = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            uploads = [services.Upload(f.name, f.read(), f.content_type or "") for f in data["files"]]
            links = [services.DocumentLink(data["link_url"], data["link_doc_number"], data["link_title"])] if data["link_url"] else []
            services.report_submit(actor=request.user, task=task, narrative=data["narrative"], progress=data["progress"],
                                   status=data["status"], files=uploads, links=links)
            messages.success(request, _("Report submitted for review."))
            return redirect("tracker:task", task_id=task.pk)
    elif action == "review":
        form = ReviewForm(request.POST)
        if form.is_valid():
            report = selectors.report_get(int(request.POST.get("report", "0") or 0))
            if report.task_id != task.pk:
                raise NotFound("报告不属于此任务", "the report is not on this task")
            services.report_review(actor=request.user, report=report, accept=form.cleaned_data["decision"] == "accept",
                                   comment=form.cleaned_data["comment"])
            messages.success(request, _("Review recorded."))
            return redirect("tracker:task", task_id=task.pk)
        messages.error(request, _form_errors(form))
    elif action == "milestone":
        form = forms_["milestone_form"] = MilestoneForm(request.POST)
        if form.is_valid():
            services.milestone_add(actor=request.user, task=task, **form.cleaned_data)
            messages.success(request, _("Milestone added."))
            return redirect("tracker:task", task_id=task.pk)
    else:
        messages.error(request, _("Unknown action."))
    return None


@login_required
@require_http_methods(["GET", "HEAD"])
@_guard
def evidence_file(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """An evidence file, to whoever may see the report it belongs to (the task's unit and the coordinator), always
    as a download with the name it was uploaded under; never through a public media URL."""
    evidence = selectors.evidence_get(evidence_id)
    require(request.user, Action.VIEW_TASK, evidence.report.task)
    missing = NotFound("证明材料文件不存在", "there is no file for this evidence", details={"evidence": evidence_id})
    if not evidence.sha256 or not evidence.file:
        raise missing
    try:
        handle = evidence.file.storage.open(evidence.file.name, "rb")
    except OSError:
        raise missing from None
    response = FileResponse(handle, content_type=evidence.content_type or "application/octet-stream")
    offer(response, evidence.file_name or evidence.file.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@_guard
def review_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.REVIEW_REPORT)
    return render(request, "tracker/reviews.html", {"reports": selectors.reports_to_review(), "demo": selectors.has_demo_data()})


@login_required
@require_http_methods(["GET", "POST"])
@_guard
def risk_register(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_RISKS)
    forms_ = {"form": RiskForm(), "dispose_form": DispositionForm()}
    status = 200
    if request.method == "POST":
        response, status = _run(request, lambda: _risk_post(request, forms_))
        if response is not None:
            return response
    return render(request, "tracker/risks.html", {
        "risks": selectors.risks(user=request.user), **forms_,
        "can_dispose": can(request.user, Action.DISPOSE_RISK), "demo": selectors.has_demo_data(),
    }, status=status)


def _risk_post(request: HttpRequest, forms_: dict) -> HttpResponse | None:
    if request.POST.get("action") == "dispose":
        form = forms_["dispose_form"] = DispositionForm(request.POST)
        if form.is_valid():
            risk = selectors.risk_get(int(request.POST.get("risk", "0") or 0))
            services.risk_dispose(actor=request.user, risk=risk, **form.cleaned_data)
            messages.success(request, _("Disposition recorded."))
            return redirect("tracker:risks")
        return None
    form = forms_["form"] = RiskForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.risk_raise(actor=request.user, measure=selectors.measure_get(data.pop("measure")), **data)
        messages.success(request, _("Risk entered in the register."))
        return redirect("tracker:risks")
    return None


@login_required
@require_http_methods(["GET", "POST"])
@_guard
def cases(request: HttpRequest) -> HttpResponse:
    forms_ = {"form": CaseForm(), "score_form": ScoreForm()}
    status = 200
    if request.method == "POST":
        response, status = _run(request, lambda: _case_post(request, forms_))
        if response is not None:
            return response
    return render(request, "tracker/cases.html", {
        "cases": selectors.cases_ranked(), **forms_,
        "can_submit": can(request.user, Action.SUBMIT_CASE), "can_score": can(request.user, Action.SCORE_CASE),
        "demo": selectors.has_demo_data(),
    }, status=status)


def _case_post(request: HttpRequest, forms_: dict) -> HttpResponse | None:
    if request.POST.get("action") == "score":
        form = forms_["score_form"] = ScoreForm(request.POST)
        if form.is_valid():
            case = selectors.case_get(int(request.POST.get("case", "0") or 0))
            services.case_score(actor=request.user, case=case, **form.cleaned_data)
            messages.success(request, _("Score recorded."))
            return redirect("tracker:cases")
        return None
    form = forms_["form"] = CaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        measures = selectors.measures_by_id(data.pop("measures"))
        services.case_submit(actor=request.user, measures=measures, **data)
        messages.success(request, _("Case submitted."))
        return redirect("tracker:cases")
    return None


@login_required
@require_http_methods(["GET", "POST"])
@_guard
def feedback(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        response, status = _run(request, lambda: _answer_post(request))
        if response is not None:
            return response
    return render(request, "tracker/feedback.html", {
        "items": selectors.feedback_for(request.user), "answer_form": AnswerForm(),
        "can_answer": role_of(request.user) in ("coordinator", "unit_officer"),
        "can_publish": can(request.user, Action.PUBLISH_FEEDBACK), "demo": selectors.has_demo_data(),
    }, status=status)


def _answer_post(request: HttpRequest) -> HttpResponse | None:
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return None
    item = selectors.feedback_get(int(request.POST.get("feedback", "0") or 0))
    services.feedback_answer(actor=request.user, feedback=item, **form.cleaned_data)
    messages.success(request, _("Answer saved."))
    return redirect("tracker:feedback")


@login_required
@require_http_methods(["GET", "POST"])
@_guard
def excel(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EXPORT)
    if request.method == "GET" and request.GET.get("download"):
        response = HttpResponse(export_workbook(viewer=request.user),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return offer(response, "openftz-tracker.xlsx")
    form, errors, status = ImportForm(), [], 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = import_workbook(actor=request.user, data=form.cleaned_data["workbook"].read())
                messages.success(request, _("Imported: %(t)s task(s), %(m)s milestone(s), %(r)s risk(s).") % {
                    "t": result.tasks, "m": result.milestones, "r": result.risks})
                return redirect("tracker:excel")
            except OpenFTZError as exc:
                if isinstance(exc, Forbidden):
                    return _page_error(request, exc)
                messages.error(request, _message(exc))
                errors = exc.details if isinstance(exc.details, list) else []
                status = exc.status
        else:
            status = 400
    return render(request, "tracker/excel.html", {"form": form, "errors": errors, "can_import": can(request.user, Action.IMPORT),
                                                  "demo": selectors.has_demo_data()}, status=status)
