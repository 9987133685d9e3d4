"""Admin for the periodical's content; rich text is sanitised and files checked through the services' rules."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from techbridge.core.sanitize import clean_html
from techbridge.core.uploads import check_upload
from techbridge.periodical.models import Article, ArticleAuthor, Author, Issue, Mailing, Publication, Subscriber


def _checked(upload, field: str):
    """check_upload names its field in a dict; a form field's clean method must raise plain messages."""
    try:
        return check_upload(upload, field=field)
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


class IssueForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["volume", "number", "period_start", "period_end", "theme", "editorial", "cover", "published_on",
                  "featured_profiles"]

    def clean_editorial(self):
        return clean_html(self.cleaned_data.get("editorial") or "")

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):
            checked = _checked(cover, "cover")
            if not checked.content_type.startswith("image/"):
                raise ValidationError(_("The cover must be an image."))
        return cover


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["issue", "position", "topic", "title", "abstract", "body", "pdf", "keywords"]

    def clean_body(self):
        return clean_html(self.cleaned_data.get("body") or "")

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf and hasattr(pdf, "content_type") and _checked(pdf, "pdf").content_type != "application/pdf":
            raise ValidationError(_("Only a PDF file can be attached."))
        return pdf


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    form = IssueForm
    list_display = ["volume", "number", "theme", "period_start", "period_end", "published_on"]
    search_fields = ["theme"]
    filter_horizontal = ["featured_profiles"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "issue", "topic", "position"]
    list_filter = ["topic", "issue"]
    search_fields = ["title", "keywords"]
    inlines = [ArticleAuthorInline]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "country"]
    search_fields = ["name", "affiliation"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "published_on"]
    list_filter = ["kind"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "country", "source", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["email", "name"]
    readonly_fields = ["status", "confirmed_at", "unsubscribed_at", "confirmation_sent_at", "created_at"]


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "created_at", "finished_at"]
    readonly_fields = ["status", "started_at", "finished_at"]
