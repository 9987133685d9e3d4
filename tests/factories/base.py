"""factory_boy factories for every model tests create."""

from __future__ import annotations

import factory
from django.utils import timezone

from techbridge.core.models import FocalPoint, Membership, Organisation, User
from techbridge.exchange.models import Kind, Profile, Status


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@techbridge.test")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct-horse-battery")
    is_active = True

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if not create:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=obj, email=obj.email, defaults={"verified": True, "primary": True}
        )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = "sme"
    size = "small"
    country_id = "BT"
    email = factory.Sequence(lambda n: f"contact{n}@org.test")


class MemberFactory(UserFactory):
    @factory.post_generation
    def organisation(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            Membership.objects.create(user=obj, organisation=extracted, role="admin")


class FocalPointFactory(UserFactory):
    @factory.post_generation
    def country_id(obj, create, extracted, **kwargs):
        if create and extracted:
            FocalPoint.objects.create(user=obj, country_id=extracted)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    kind = Kind.OFFER
    reference = factory.Sequence(lambda n: f"TOXX{n:011d}")
    status = Status.DRAFT
    title = factory.Sequence(lambda n: f"Solar dryer for agricultural produce {n}")
    summary = "A low-cost solar dryer that halves post-harvest losses for smallholder farmers."
    description = "<p>Indirect solar drying with passive ventilation.</p>"
    organisation = factory.SubFactory(OrganisationFactory)
    country_id = factory.LazyAttribute(lambda o: o.organisation.country_id)
    contact_name = "Karma Wangchuk"
    contact_email = "karma@example.bt"
    contact_phone = "+975 2 123456"


class PublishedProfileFactory(ProfileFactory):
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=365))
