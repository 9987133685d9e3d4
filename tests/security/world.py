"""One small world of objects in every app, owned by organisation A (Bhutan) unless said otherwise.

The authorisation matrix and the hostile-input tests fill URL kwargs from it. Objects are created lazily
(a test touching only exchange URLs does not build events), and private ones belong to A so that member B
and the Indian focal point are the intruders of the two-user IDOR and cross-country checks.
"""

from __future__ import annotations

import uuid
from functools import cached_property

from django.core.files.base import ContentFile
from django.utils import timezone

from techbridge.core.models import Job
from techbridge.core.permissions import actor_for
from techbridge.core.services import create_api_token
from tests import factories

ROLES = ("anonymous", "member_a", "member_b", "focal_bt", "focal_in", "staff")


class World:
    def __init__(self) -> None:
        self.org_a = factories.OrganisationFactory(name="Druk Agro Mills", country_id="BT")
        self.org_b = factories.OrganisationFactory(name="Pune Machine Works", country_id="IN")
        self.users = {
            "anonymous": None,
            "member_a": factories.MemberFactory(organisation=self.org_a, email="member-a@techbridge.test"),
            "member_b": factories.MemberFactory(organisation=self.org_b, email="member-b@techbridge.test"),
            "focal_bt": factories.FocalPointFactory(country_id="BT", email="focal-bt@techbridge.test"),
            "focal_in": factories.FocalPointFactory(country_id="IN", email="focal-in@techbridge.test"),
            "staff": factories.UserFactory(is_staff=True, email="staff@techbridge.test"),
        }
        self._tokens: dict[str, str] = {}

    def token(self, role: str) -> str | None:
        if role == "anonymous":
            return None
        if role not in self._tokens:
            _token, raw = create_api_token(actor=actor_for(self.users[role]), name="authz")
            self._tokens[role] = raw
        return self._tokens[role]

    # --- exchange ---------------------------------------------------------------------------------------
    @cached_property
    def draft_a(self):
        return factories.ProfileFactory(organisation=self.org_a, created_by=self.users["member_a"])

    @cached_property
    def submitted_a(self):
        from techbridge.exchange.models import Status

        return factories.ProfileFactory(
            organisation=self.org_a, status=Status.SUBMITTED, submitted_at=timezone.now()
        )

    @cached_property
    def published_a(self):
        return factories.PublishedProfileFactory(organisation=self.org_a)

    @cached_property
    def private_attachment_a(self):
        from techbridge.exchange.models import Attachment

        attachment = Attachment(
            profile=self.published_a, name="plan.pdf", content_type="application/pdf", size=9, private=True
        )
        attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        return attachment

    # --- matching -------------------------------------------------------------------------------------------
    @cached_property
    def interest_b_to_a(self):
        """B's expression of interest in A's published profile (A decides; focal points and others see nothing)."""
        from techbridge.matching.models import ExpressionOfInterest

        return ExpressionOfInterest.objects.create(
            profile=self.published_a, sender=self.users["member_b"], sender_organisation=self.org_b,
            message="We would like to license it.", offer_or_seek="Distribution in India", why_this="Fits us",
            next_step="A call")

    @cached_property
    def saved_search_a(self):
        from techbridge.matching.models import SavedSearch

        return SavedSearch.objects.create(user=self.users["member_a"], name="dryers", query="solar dryer")

    def alerts_token(self, role: str) -> str:
        from techbridge.matching.services.alerts import unsubscribe_token

        return unsubscribe_token(user=self.users[role])

    # --- core -------------------------------------------------------------------------------------------
    @cached_property
    def job_a(self):
        job = Job.objects.create(id=uuid.uuid4(), kind="test", owner=self.users["member_a"], state="done")
        job.result_name = "result.csv"
        job.result_file.save("result.csv", ContentFile(b"a,b\n"), save=True)
        return job

    # --- events -----------------------------------------------------------------------------------------
    @cached_property
    def event(self):
        """A published event in its booking phase; A and B are approved participants, A has a meeting."""
        return factories.event_with_slots()

    @cached_property
    def draft_event(self):
        return factories.EventFactory(published=False)

    @cached_property
    def registration_a(self):
        return factories.approved_participant(event=self.event, user=self.users["member_a"])

    @cached_property
    def registration_b(self):
        return factories.approved_participant(event=self.event, user=self.users["member_b"])

    @cached_property
    def third_party(self):
        return factories.approved_participant(event=self.event)

    @cached_property
    def meeting_request_a(self):
        """A's request to a third participant (B is not a party)."""
        from techbridge.events.models import MeetingRequest

        self.registration_b  # noqa: B018 - B is an approved participant too
        return MeetingRequest.objects.create(
            event=self.event, requester=self.registration_a, recipient=self.third_party, message="Licence?"
        )

    @cached_property
    def meeting_a(self):
        from techbridge.events.models import Meeting

        return Meeting.objects.create(event=self.event, request=self.meeting_request_a)

    # --- programme --------------------------------------------------------------------------------------
    @cached_property
    def activity(self):
        return factories.ActivityFactory()

    @cached_property
    def institution(self):
        return factories.InstitutionFactory()

    @cached_property
    def programme_import(self):
        from techbridge.programme.models import ImportUpload

        upload = ImportUpload(kind="activities", filename="a.csv", created_by=self.users["staff"])
        upload.file.save("a.csv", ContentFile(b"code,title\n"), save=True)
        return upload

    # --- periodical -------------------------------------------------------------------------------------
    @cached_property
    def issue(self):
        return factories.IssueFactory()

    @cached_property
    def article(self):
        article = factories.ArticleFactory(issue=self.issue)
        article.pdf.save("article.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        return article

    @cached_property
    def publication(self):
        from techbridge.periodical.models import Publication

        publication = Publication(kind="report", title="Annual report")
        publication.file.save("report.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        return publication

    @cached_property
    def subscriber(self):
        return factories.SubscriberFactory(email="reader@example.org")

    def subscriber_token(self, salt_name: str) -> str:
        from techbridge.periodical import tokens

        return tokens.make(subscriber=self.subscriber, salt=getattr(tokens, salt_name))

    @cached_property
    def mailing(self):
        return factories.MailingFactory()

    @cached_property
    def outbox_row(self):
        from techbridge.periodical.models import OutboxMessage

        return OutboxMessage.objects.create(mailing=self.mailing, subscriber=self.subscriber, email="r@example.org")
