"""Small pieces every app's views share: the request's Actor, pagination, and service errors on forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme

from techbridge.core.permissions import Actor, actor_for

PAGE_SIZE = 20


def request_actor(request) -> Actor:
    return actor_for(getattr(request, "user", None))


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`).

    Counting every match of a broad search over 100,000 rows costs more than fetching the page; beyond the
    cap the page says "more than N" (`capped`) and offers the first cap / per_page pages.
    """

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        counted = self.object_list.order_by()[: self.cap + 1].count()  # which rows is irrelevant to a count
        self.capped = counted > self.cap
        return min(counted, self.cap)


def paginate(request, queryset, *, per_page: int = PAGE_SIZE, count_cap: int | None = None):
    """Return the requested page; a malformed or out-of-range page number falls back to a valid page.

    With `count_cap`, at most that many rows are counted (see CappedPaginator); `page.paginator.capped`
    then tells templates the total is larger.
    """
    if count_cap is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = CappedPaginator(queryset, per_page, cap=count_cap)
    return paginator.get_page(request.GET.get("page"))


def apply_service_errors(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the matching form fields (others become non-field errors)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                label = "" if target else f"{field}: "
                form.add_error(target, f"{label}{message}")
    else:
        for message in exc.messages:
            form.add_error(None, message)


def safe_next(request, fallback: str) -> str:
    """The `next` parameter if it stays on this site, else the fallback (no open redirects)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
