"""A paginator that stops counting: a list of tens of thousands says so, without counting them.

Counting the 67,000 public English releases took PostgreSQL 15-30 ms on every request to the
release list, more than the rest of the page's SQL together, to print a number nobody pages
through. `CappedPaginator` counts at most `count_limit` + 1 rows (an index-only scan with a
LIMIT); below the limit it is Django's paginator, exact. Above it, the page says "more than
10000", pages are numbered without a total, and "next" is offered when one more row exists
(`?page=last` still counts, to find the last page).
Every page can still be reached (page 3,000 of the unfiltered list too); filters narrow the list
back under the limit, where the count is exact again.
"""

from math import ceil

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.caching import canonical_query, memoized


class SharedCountPaginator(Paginator):
    """Django's paginator whose count, given a `count_memo` key naming the list, is counted
    once per content change and shared by every page of that list (`core.caching.memoized`):
    page 2, page 3... of a list each miss the page cache, and each counted the same rows."""

    count_memo: tuple | None = None

    def count_items(self) -> int:
        return self.object_list.count()

    @cached_property
    def count(self):
        if self.count_memo is None:
            return self.count_items()
        return memoized(("count", *self.count_memo), self.count_items)


class SharedCountMixin:
    """A public list view whose pages share their count: the key is the list's address,
    language, today's date (lists of upcoming events change at midnight) and the parameters
    it reads other than the page number."""

    paginator_class = SharedCountPaginator

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        params = frozenset(getattr(self, "query_params", ())) - {"page"}
        query, _dropped = canonical_query(self.request, params)
        paginator.count_memo = (
            self.request.path,
            get_language(),
            timezone.localdate().isoformat(),
            query,
        )
        return paginator


class CappedPage(Page):
    more = False  # one row more than the page holds was found (set by CappedPaginator.page)

    def has_next(self):
        if self.paginator.count_is_capped:
            return self.more
        return super().has_next()


class CappedPaginator(SharedCountPaginator):
    count_limit = 10_000

    def count_items(self):
        """The number of items, or `count_limit` + 1 when there are more than `count_limit`."""
        return self.object_list.order_by()[: self.count_limit + 1].count()

    @property
    def count_is_capped(self) -> bool:
        return self.count > self.count_limit

    @cached_property
    def num_pages(self):
        if not self.count_is_capped:
            return super().num_pages
        # Only `?page=last` asks for it above the limit: count them all, for that request only.
        return ceil(self.object_list.count() / self.per_page)

    def validate_number(self, number):
        if not self.count_is_capped:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.count_is_capped:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage(_("That page contains no results"))
        page = CappedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page
