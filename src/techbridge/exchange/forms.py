"""Web forms for profiles. They only shape input; the services validate again and do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.core.countries import country_choices
from techbridge.core.models import SDG, PartnershipType, Sector
from techbridge.core.reference import vocabularies
from techbridge.exchange.models import Kind, Profile

EQUIPMENT_FIELDS = [
    "item",
    "specification",
    "capacity",
    "quantity",
    "budget_min_usd",
    "budget_max_usd",
    "needed_by",
    "hs_code",
]


class ProfileForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=256, help_text=_("At most 256 characters."))
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 500 characters; shown in lists and search results."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "At most 4,000 characters. Simple HTML (paragraphs, lists, links) "
            "is kept; everything else is removed."
        ),
    )
    advantages = forms.CharField(
        label=_("Advantages and innovation"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    technical_spec = forms.CharField(
        label=_("Technical specification or expertise sought"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    stage = forms.ChoiceField(
        label=_("Stage of development"), choices=[("", "—"), *vocabularies.STAGES], required=False
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level"),
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(i, f"TRL {i}") for i in range(1, 10)],
        required=False,
    )
    ipr_status = forms.ChoiceField(
        label=_("IPR status"), choices=[("", "—"), *vocabularies.IPR_STATUSES], required=False
    )
    ipr_notes = forms.CharField(
        label=_("IPR notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    keywords = forms.CharField(
        label=_("Technology keywords"), max_length=500, required=False, help_text=_("Separated by commas.")
    )
    sectors = forms.MultipleChoiceField(label=_("Sectors (ISIC Rev.4)"), required=False)
    sdgs = forms.MultipleChoiceField(label=_("Sustainable Development Goals"), required=False)
    partnership_types = forms.MultipleChoiceField(label=_("Partnership types sought"), required=False)
    country = forms.ChoiceField(label=_("Country"))
    target_countries = forms.MultipleChoiceField(label=_("Target countries"), required=False)
    contact_name = forms.CharField(
        label=_("Contact name"), max_length=200, required=False, help_text=_("Never shown publicly.")
    )
    contact_email = forms.EmailField(
        label=_("Contact email"), required=False, help_text=_("Never shown publicly.")
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    item = forms.CharField(label=_("Item (machine or equipment)"), max_length=200, required=False)
    specification = forms.CharField(
        label=_("Specification"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    capacity = forms.CharField(
        label=_("Capacity"), max_length=200, required=False, help_text=_("e.g. 500 kg per hour")
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10_000_000, required=False)
    budget_min_usd = forms.DecimalField(
        label=_("Budget from (USD)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    budget_max_usd = forms.DecimalField(
        label=_("Budget to (USD)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    needed_by = forms.DateField(
        label=_("Needed by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hs_code = forms.CharField(label=_("HS code (optional)"), max_length=12, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["sectors"].choices = [(s.code, f"{s.code} {s.title}") for s in Sector.objects.all()]
        self.fields["sdgs"].choices = [(str(s.number), str(s)) for s in SDG.objects.all()]
        self.fields["partnership_types"].choices = [(p.code, p.label) for p in PartnershipType.objects.all()]
        countries = country_choices()
        self.fields["country"].choices = [("", "—"), *countries]
        self.fields["target_countries"].choices = countries
        if kind != Kind.EQUIPMENT:
            for name in EQUIPMENT_FIELDS:
                del self.fields[name]
        else:
            self.fields["item"].required = True

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        values["sdgs"] = [int(v) for v in values.get("sdgs", [])]
        return values

    @staticmethod
    def initial_from(profile: Profile) -> dict:
        from techbridge.exchange.services import EDITABLE_FIELDS

        initial = {name: getattr(profile, name) for name in EDITABLE_FIELDS}
        initial["country"] = profile.country_id
        initial["sectors"] = [s.code for s in profile.sectors.all()]
        initial["sdgs"] = [str(s.number) for s in profile.sdgs.all()]
        initial["partnership_types"] = [p.code for p in profile.partnership_types.all()]
        initial["target_countries"] = [c.iso2 for c in profile.target_countries.all()]
        return initial


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF or image)"))
    private = forms.BooleanField(label=_("Private (owner and staff only)"), required=False)
