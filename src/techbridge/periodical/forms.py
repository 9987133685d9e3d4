"""Web forms of the periodical. They shape input only; services validate again and write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from techbridge.core.countries import country_choices
from techbridge.periodical.models import Topic


def _countries(blank: bool):
    choices = country_choices(escap_only=False)
    return [("", "—"), *choices] if blank else choices


class PreferencesForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Your country"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=Topic.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=_("None ticked: you receive every issue in full."))
    countries = forms.MultipleChoiceField(label=_("Countries of interest"), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _countries(True)
        self.fields["countries"].choices = country_choices(escap_only=True)

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "country": data["country"] or None, "language": data["language"],
                "topics": data["topics"], "countries": data["countries"]}


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    field_order = ["email", "name", "country", "language", "topics", "countries"]


class MailingForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    html_body = forms.CharField(label=_("HTML version"), widget=forms.Textarea(attrs={"rows": 14}),
                                help_text=_("Simple HTML; scripts and styles are removed."))
    text_body = forms.CharField(label=_("Plain-text version"), widget=forms.Textarea(attrs={"rows": 14}))
    language = forms.ChoiceField(label=_("Only subscribers reading"), required=False,
                                 choices=[("", _("any language")), *settings.LANGUAGES])
    countries = forms.MultipleChoiceField(label=_("Only subscribers in"), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))
    topics = forms.MultipleChoiceField(label=_("Only subscribers interested in"), choices=Topic.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = _countries(False)

    @classmethod
    def initial_from(cls, mailing) -> dict:
        return {"subject": mailing.subject, "html_body": mailing.html_body, "text_body": mailing.text_body,
                **{key: mailing.audience.get(key) for key in ("language", "countries", "topics")}}

    def audience(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("language", "countries", "topics")}


class TestSendForm(forms.Form):
    to = forms.EmailField(label=_("Send a test to"))


class SubscriberImportForm(forms.Form):
    file = forms.FileField(label=_("Subscriber list (.csv or .xlsx)"),
                           help_text=_("Columns: email, name, country, language, topics, consented."))
    invite = forms.BooleanField(label=_("Mail a confirmation link to addresses without recorded consent"),
                                required=False, initial=True)
    dry_run = forms.BooleanField(label=_("Only check the file"), required=False)
