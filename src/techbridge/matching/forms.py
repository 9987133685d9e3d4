"""Forms of the matching pages; they only shape input, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.exchange.models import Kind, Profile
from techbridge.matching.models import AlertSettings, Frequency


class InterestForm(forms.Form):
    offer_or_seek = forms.CharField(label=_("What do you offer or seek?"), max_length=1000,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    why_this = forms.CharField(label=_("Why this profile?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    next_step = forms.CharField(label=_("Proposed next step"), max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    message = forms.CharField(label=_("Message to the owner"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    sender_profile = forms.ModelChoiceField(label=_("Your related profile (optional)"), required=False,
                                            queryset=Profile.objects.none())

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None and actor.organisation_ids:
            self.fields["sender_profile"].queryset = Profile.objects.filter(
                organisation_id__in=actor.organisation_ids).order_by("-id")
        else:
            del self.fields["sender_profile"]

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        profile = values.pop("sender_profile", None)
        values["sender_profile"] = profile.pk if profile else None
        return values


class DecisionForm(forms.Form):
    decision_note = forms.CharField(label=_("Note to the sender (optional)"), max_length=500, required=False)


class AlertSettingsForm(forms.ModelForm):
    class Meta:
        model = AlertSettings
        fields = ["frequency", "profile_matches", "min_score"]
        widgets = {"min_score": forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"})}


class SavedSearchForm(forms.Form):
    query = forms.CharField(label=_("What are you looking for?"), max_length=500,
                            widget=forms.Textarea(attrs={"rows": 2}))
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any"))] + list(Kind.choices))
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)


__all__ = ["AlertSettingsForm", "DecisionForm", "Frequency", "InterestForm", "SavedSearchForm"]
