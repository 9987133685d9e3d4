"""Web forms of the programme app; they shape input only, the services check again and write."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from techbridge.programme.models import ImportKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file contains"), choices=ImportKind.choices)
    file = forms.FileField(label=_("Spreadsheet (.csv or .xlsx)"),
                           help_text=_("The first row must be the header; see the column list on this page."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".xlsx"}:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file (save other formats as .xlsx first)."))
        limit = settings.TECHBRIDGE_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
