"""Forms of the tracker pages: they parse and validate input; the services decide."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Disposition, FeedbackKind, Status


class BootstrapForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes (form-control, form-select, form-check-input) and, once
    checked, ``is-invalid`` on each field in error; ``tracker/_form.html`` lays it out with the inline errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


def status_choices(current: str | None, *, may_stop: bool) -> list[tuple[str, str]]:
    """The statuses a user may give a task: without the right to stop one (SC-75), a task is neither suspended nor
    terminated, and a stopped one keeps only its own status (the service checks this again)."""
    from .rules import STOPPED

    if may_stop:
        return list(Status.choices)
    if current in STOPPED:
        return [c for c in Status.choices if c[0] == current]
    return [c for c in Status.choices if c[0] not in STOPPED]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ReportForm(BootstrapForm):
    narrative = forms.CharField(label=_("Progress narrative"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    progress = forms.IntegerField(label=_("Progress %"), min_value=0, max_value=100)
    files = MultipleFileField(label=_("Evidence files (PDF, OFD, Word, Excel, images)"), required=False)
    link_url = forms.URLField(label=_("Link to an issued document"), required=False, max_length=500, assume_scheme="https")
    link_doc_number = forms.CharField(label=_("Document number"), required=False, max_length=64)
    link_title = forms.CharField(label=_("Document title"), required=False, max_length=200)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["status"].choices = choices


class ReviewForm(BootstrapForm):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class MilestoneForm(BootstrapForm):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class RiskForm(BootstrapForm):
    measure = forms.RegexField(label=_("Measure"), regex=r"^(SC|SH)-(\d{1,3}|closing)$", max_length=16)
    title = forms.CharField(label=_("Risk"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    likelihood = forms.IntegerField(label=_("Likelihood (1–5)"), min_value=1, max_value=5)
    impact = forms.IntegerField(label=_("Impact (1–5)"), min_value=1, max_value=5)


class DispositionForm(BootstrapForm):
    disposition = forms.ChoiceField(label=_("Disposition"), choices=[c for c in Disposition.choices if c[0]])
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CaseForm(BootstrapForm):
    title = forms.CharField(label=_("Case title"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    measures = forms.CharField(label=_("Measures (e.g. SH-39, SH-40)"), max_length=300)

    def clean_measures(self):
        import re

        ids = [m.strip().upper() for m in re.split(r"[,\s、，]+", self.cleaned_data["measures"]) if m.strip()]
        bad = [m for m in ids if not re.fullmatch(r"SH-\d{1,3}", m)]
        if not ids or bad:
            raise forms.ValidationError(_("List Shanghai measure ids such as SH-39."))
        return ids


class ScoreForm(BootstrapForm):
    originality = forms.IntegerField(label=_("Originality (首创性)"), min_value=0, max_value=10)
    industry_impact = forms.IntegerField(label=_("Industry impact (行业影响力)"), min_value=0, max_value=10)
    market_perception = forms.IntegerField(label=_("Market perception (市场感受度)"), min_value=0, max_value=10)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class FeedbackForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    text = forms.CharField(label=_("Your question or opinion"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AnswerForm(BootstrapForm):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    publish = forms.BooleanField(label=_("Publish with the answer"), required=False)


class ImportForm(BootstrapForm):
    workbook = forms.FileField(label=_("Workbook (.xlsx)"))
