"""Web forms of the funding app; the services validate again and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.core.countries import country_choices
from techbridge.funding.models import Kind


class ContributionForm(forms.Form):
    member_state = forms.ChoiceField(label=_("Member State or associate member"))
    year = forms.IntegerField(label=_("Year"), min_value=1977, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    amount_usd = forms.DecimalField(label=_("Amount (USD)"), max_digits=14, decimal_places=2, min_value=0)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = country_choices(escap_only=True)


class ContributionImportForm(forms.Form):
    file = forms.FileField(label=_("Contributions (.csv or .xlsx)"),
                           help_text=_("Columns: member_state, year, kind, amount_usd, note (then optional date, "
                                       "reference)."))
    dry_run = forms.BooleanField(label=_("Only check the file"), required=False)
