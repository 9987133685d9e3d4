"""Forms of the reports app: the period a dashboard shows, a report build, and a narrative edit."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.reports.export import FORMATS
from techbridge.reports.figures import FIRST_YEAR, LAST_YEAR, period_for_year

MAX_SPAN_DAYS = 366 * 30


class PeriodForm(forms.Form):
    """A year, or a date range (both ends inclusive); an empty form means the default year."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, default_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_year = default_year

    def clean(self):
        data = super().clean()
        start, end, year = data.get("start"), data.get("end"), data.get("year")
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("Give both dates of the range, or a year."))
            if end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif (end - start).days > MAX_SPAN_DAYS:
                self.add_error("end", _("A period may cover at most 30 years."))
            for name, value in (("start", start), ("end", end)):
                if not FIRST_YEAR <= value.year <= LAST_YEAR:
                    self.add_error(name, _("Choose a date between %(first)d and %(last)d.")
                                   % {"first": FIRST_YEAR, "last": LAST_YEAR})
            return data
        data["start"], data["end"] = period_for_year(year=year or self.default_year)
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned_data["start"], self.cleaned_data["end"]


class BuildReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    fmt = forms.ChoiceField(label=_("Format"), choices=[(fmt, fmt.upper()) for fmt in FORMATS], initial="docx")


class NarrativeForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    text = forms.CharField(label=_("Paragraph"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Leave empty to go back to the generated paragraph."))
