"""A profile's four reference relations loaded in one query give what `prefetch_related` gives."""

import pytest

from techbridge.core.models import SDG, PartnershipType, Sector
from techbridge.exchange import presenters, relations
from techbridge.exchange.models import Profile
from tests import factories

pytestmark = pytest.mark.django_db


def _as_prefetched(profile_ids):
    profiles = Profile.objects.filter(pk__in=profile_ids).order_by("pk").prefetch_related(*relations.RELATIONS)
    return [{name: [obj.pk for obj in getattr(p, name).all()] for name in relations.RELATIONS} for p in profiles]


def test_attached_relations_equal_prefetched_ones_in_one_query(org_a, django_assert_num_queries):
    first = factories.PublishedProfileFactory(organisation=org_a)
    first.sectors.set(["28", "C", "01"])
    first.sdgs.set([9, 2, 13])
    first.partnership_types.set(list(PartnershipType.objects.values_list("code", flat=True)[:3]))
    first.target_countries.set(["NP", "IN", "BT"])
    second = factories.PublishedProfileFactory(organisation=org_a)  # no relations at all
    second.sdgs.set([7])
    relations.reference_rows()  # loaded once per process and interval
    profiles = list(Profile.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk"))
    with django_assert_num_queries(1):
        relations.attach(profiles)
        loaded = [{name: [obj.pk for obj in getattr(p, name).all()] for name in relations.RELATIONS}
                  for p in profiles]
    assert loaded == _as_prefetched([first.pk, second.pk])
    assert loaded[0]["target_countries"] == ["BT", "IN", "NP"]  # by country name, as the model orders them
    assert loaded[1] == {"sectors": [], "sdgs": [7], "partnership_types": [], "target_countries": []}


def test_attach_sees_reference_rows_added_or_renamed_since_they_were_loaded(org_a):
    profile = factories.PublishedProfileFactory(organisation=org_a)
    profile.sectors.set(["C"])
    profile.sdgs.set([2])
    relations.reference_rows(refresh=True)

    def titles():
        (loaded,) = relations.attach([Profile.objects.get(pk=profile.pk)])
        return [s.title for s in loaded.sectors.all()], [s.title for s in loaded.sdgs.all()]

    sector = Sector.objects.get(code="C")
    sector.title = "Manufacturing, renamed here"
    sector.save()  # saved in this process: the cached rows are dropped at once
    assert titles()[0] == ["Manufacturing, renamed here"]
    Sector.objects.create(code="ZZ", title="Space agriculture")
    relations._reference["loaded_at"] = relations.time.monotonic()  # as if loaded before, elsewhere
    profile.sectors.add("ZZ")
    assert "Space agriculture" in titles()[0]  # an unknown code reloads the rows
    old = titles()[1]
    SDG.objects.filter(number=2).update(title="Renamed by another process")  # no signal reaches this one
    assert titles()[1] == old  # kept until the interval passes …
    relations._reference["loaded_at"] -= relations.REFERENCE_SECONDS + 1
    assert titles()[1] == ["Renamed by another process"]


def test_load_one_of_an_invisible_profile_is_404(org_a):
    from django.http import Http404

    draft = factories.ProfileFactory(organisation=org_a)
    with pytest.raises(Http404):
        presenters.load_one(Profile.objects.filter(status="published"), pk=draft.pk)
