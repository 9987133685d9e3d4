from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.core.countries import country_choices
from techbridge.core.reference import vocabularies


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)
    type = forms.ChoiceField(label=_("Type"), choices=vocabularies.ORGANISATION_TYPES)
    size = forms.ChoiceField(
        label=_("Size"), choices=[("", "—"), *vocabularies.ORGANISATION_SIZES], required=False
    )
    country = forms.ChoiceField(label=_("Country"), choices=[])
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Contact email"), required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, max_length=2000, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Email address of an existing account"))
    role = forms.ChoiceField(label=_("Role"), choices=[("member", _("member")), ("admin", _("administrator"))])
