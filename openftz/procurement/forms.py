"""Forms of the procurement pages: they parse input only; the services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .rules import workflow


def _grounds():
    return [(code, f"{g['zh']} / {g['en']}") for code, g in workflow.limited_grounds()["grounds"].items()]


class ProcedureForm(forms.Form):
    method = forms.ChoiceField(label=_("Procurement method"), choices=[("open", _("Open")), ("selective", _("Selective")),
                                                                         ("limited", _("Limited"))])
    limited_ground = forms.ChoiceField(label=_("Ground for a limited procedure (SH-72)"), required=False,
                                       choices=[("", "—")] + _grounds())
    rationale = forms.CharField(label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=20000)
    title = forms.CharField(label=_("Title (Chinese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English, optional; never machine-translated)"), max_length=300, required=False)
    description = forms.CharField(label=_("Description (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    description_en = forms.CharField(label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    value = forms.DecimalField(label=_("Budget (CNY)"), required=False, min_value=0, max_digits=17, decimal_places=2)
    item = forms.CharField(label=_("Goods or services"), max_length=2000)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, min_value=0, max_digits=16, decimal_places=4)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=50)
    estimated = forms.BooleanField(label=_("The quantity is an estimate"), required=False)
    tender_period_end = forms.DateTimeField(label=_("Deadline for tenders or requests to participate"), required=False,
                                            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    submission_details = forms.CharField(label=_("Where to submit"), required=False, max_length=2000)
    eligibility_criteria = forms.CharField(label=_("Conditions for participation (Chinese)"), required=False,
                                           widget=forms.Textarea(attrs={"rows": 2}), max_length=20000)
    eligibility_criteria_en = forms.CharField(label=_("Conditions for participation (English)"), required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}), max_length=20000)
    fees = forms.CharField(label=_("Fees and terms of payment (SH-73)"), required=False, max_length=2000)
    max_candidates = forms.IntegerField(label=_("Number of qualified suppliers invited (selective)"), required=False, min_value=1, max_value=1000)
    selection_criteria = forms.CharField(label=_("Criteria for choosing them"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=20000)
    exclusion_grounds = forms.CharField(label=_("Exclusion grounds stated in the documents (SH-78)"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}), max_length=20000)


class TenderersForm(forms.Form):
    tenderers = forms.CharField(label=_("Tenderers (party ids, comma separated)"), max_length=5000)


class AwardForm(forms.Form):
    supplier = forms.CharField(label=_("Successful supplier (party id)"), max_length=63)
    title = forms.CharField(label=_("Award title"), max_length=300, required=False)
    amount = forms.DecimalField(label=_("Award value (CNY)"), min_value=0, max_digits=17, decimal_places=2)


class ContractForm(forms.Form):
    award = forms.CharField(label=_("Award id"), max_length=100)
    amount = forms.DecimalField(label=_("Contract value (CNY)"), min_value=0, max_digits=17, decimal_places=2)
    date_signed = forms.DateField(label=_("Contract signed on"), widget=forms.DateInput(attrs={"type": "date"}))


class EndForm(forms.Form):
    status = forms.ChoiceField(label=_("Outcome"), choices=[("complete", _("Complete")), ("cancelled", _("Cancelled")),
                                                              ("unsuccessful", _("Unsuccessful"))])


class ConfidentialForm(forms.Form):
    supplier = forms.CharField(label=_("Supplier (party id)"), max_length=63)
    text = forms.CharField(label=_("Passage held as a trade secret"), max_length=500)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ChallengeForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds of the challenge"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    knew_on = forms.DateField(label=_("The day you knew or should have known of the harm"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    evidence_file = forms.FileField(label=_("Evidence file (PDF, PNG, JPEG or text)"), required=False)


class EvidenceForm(forms.Form):
    evidence_file = forms.FileField(label=_("Evidence file (PDF, PNG, JPEG or text)"))


class RouteForm(forms.Form):
    action = forms.ChoiceField(label=_("Routing"), choices=[("accept", _("Accept for review")), ("reject_late", _("Reject as late")),
                                                             ("reject_inadmissible", _("Reject as inadmissible"))])
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=20000)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("The review body's decision"), choices=[("uphold", _("Uphold")), ("dismiss", _("Dismiss"))])
    decision_text = forms.CharField(label=_("Decision and reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


class StatementForm(forms.Form):
    statement = forms.CharField(label=_("The procuring entity's statement"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (e.g. settled by consultation)"), required=False, max_length=20000)


class DebriefingRequestForm(forms.Form):
    question = forms.CharField(label=_("Your question"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)


class DebriefingAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer: the reasons, or the advantages of the successful tender"),
                             widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)


class DebarmentForm(forms.Form):
    supplier = forms.CharField(label=_("Supplier (party id)"), max_length=63)
    contract_reference = forms.CharField(label=_("Contract breached"), max_length=200)
    breach_on = forms.DateField(label=_("Date of the breach"), widget=forms.DateInput(attrs={"type": "date"}))
    decided_on = forms.DateField(label=_("Date of the decision"), widget=forms.DateInput(attrs={"type": "date"}))
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    remedied = forms.BooleanField(label=_("Remedied in time"), required=False)


class ExclusionForm(forms.Form):
    debarment = forms.IntegerField(label=_("Register entry"), min_value=1, max_value=2**31 - 1)
