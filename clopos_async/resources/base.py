"""`Resource`: ``list_page``, ``list``, ``get`` and ``with_raw_response`` for any declared resource.

Everything is checked before anything is sent. Each operation is written once, returning an
`APIResponse` (the typed result with its own raw reply); the plain methods unwrap it.
A list endpoint that answers a bare JSON array (no envelope, no pagination: v1 sale types,
REFERENCE §2.1) is one complete page: the listing stops after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar, cast

from ..models.page import Page
from ..pagination import AsyncPaginator
from ..query import (
    DateLike,
    Filters,
    FilterValue,
    QueryPairs,
    Scalar,
    encode_list_query,
    encode_scalar,
    parse_sort,
)
from ..reply import APIResponse, Reply
from ..requester import Requester
from ..serde import StructureError, structure
from ..validators import ArgumentTypeError, check_choice, check_int, invalid
from ..versions import ApiVersion, ResourceId
from ..wire import Envelope, validation_error
from .declaration import Listing, Param, ResourceSpec
from .page_items import typed_page_items

__all__ = [
    "DEFAULT_MAX_CONCURRENCY", "PlainResource", "RawResource", "Resource", "check_id",
    "structured",
]

T = TypeVar("T")
R = TypeVar("R")

# Pages in flight per listing; the client's gate still caps the whole client.
DEFAULT_MAX_CONCURRENCY = 64


def check_id(name: str, value: object) -> ResourceId:
    """An id argument: an int or a non-blank string (REFERENCE §2.8: ids are both)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        invalid(name, "an int or str", value, error=ArgumentTypeError)
    if isinstance(value, str) and not value.strip():
        invalid(name, "a non-empty id", value)
    return value


def structured(reply: Reply, build: Callable[[Any], R]) -> APIResponse[R]:
    """Type a reply's data; a shape mismatch becomes `ResponseValidationError`."""
    try:
        return APIResponse(build(reply.envelope.data), reply)
    except (StructureError, RecursionError) as exc:
        # A recursive model (a category tree) nested deeper than Python's stack cannot be
        # typed: that is a bad answer like any other, not a crash.
        deep = isinstance(exc, RecursionError)
        raise validation_error(
            f"unexpected response shape: {'nested too deeply' if deep else exc}",
            reply.response.body, reply.response.status, method=reply.method, path=reply.path,
        ) from (None if deep else exc)


def _believable_counts(
    envelope: Envelope, number: int, limit: int, count: int
) -> tuple[int, int | None, int | None]:
    """The page size, total and page count to stop by: the server's, less what this very page
    (page ``number``, asked with ``limit``, holding ``count`` items) disproves.

    The stop rules (REFERENCE §2.5) end a listing on the server's word, so a word the page
    itself contradicts would lose every later item without a sign: a total below the items
    already listed (``0``, ``-5``), a last page before this one, a page count below what the
    total needs, a page size above both the limit asked and the items sent (a full page would
    read as a short one). Such a count is disregarded (None: unknown); the listing then ends
    on a short or empty page, at the cost of at most one more request.
    """
    per_page = envelope.per_page
    if per_page is None or not 1 <= per_page <= max(limit, count):
        per_page = limit
    total = envelope.total
    if total is not None and total < (number - 1) * per_page + count:
        total = None
    pages = envelope.total_pages
    if pages is not None and count and pages < number:
        pages = None
    if pages is not None and total is not None and pages < -(-total // per_page):
        pages = None
    return per_page, total, pages


def _relations(name: str, with_: str | Iterable[str] | None,
               allowed: tuple[str, ...] | None) -> str | Iterable[str] | None:
    if with_ is None or allowed is None:
        return with_
    items = [with_] if isinstance(with_, str) else list(with_)
    if not allowed:
        invalid("with_", f"None ({name} embed no relations)", with_)
    for relation in items:
        check_choice("with_", relation, allowed)
    return items


_LIST_ARGUMENTS = ("limit", "with_", "sort", "date_from", "date_to", "filters")


def _typed_arguments(
    label: str, operation: str, declared: Mapping[str, Param], arguments: Mapping[str, Any],
    version: ApiVersion, *, base: tuple[str, ...] = _LIST_ARGUMENTS,
) -> tuple[QueryPairs, list[tuple[str, FilterValue]]]:
    """Check the declared typed arguments; return the top-level pairs and the filter tuples.

    None leaves an argument out. A top-level list is sent indexed (``key[0]=..``).
    """
    top: QueryPairs = []
    typed: list[tuple[str, FilterValue]] = []
    for name, value in arguments.items():
        param = declared.get(name)
        if param is None:
            known = ", ".join([*base, *declared])
            raise ArgumentTypeError(
                f"{name!r} is not an argument of {label} {operation}; they take {known}"
            )
        if value is None:
            continue
        encoded = param.encode(version, name, value)
        key = param.wire or name
        if not param.top_level:
            typed.append((key, encoded))
        elif isinstance(encoded, (list, tuple)):
            top += [(f"{key}[{i}]", encode_scalar(item, parameter=name))
                    for i, item in enumerate(encoded)]
        else:
            top.append((key, encode_scalar(cast(Scalar, encoded), parameter=name)))
    return top, typed


class Resource(Generic[T]):
    """The machinery a declaration drives: checking, encoding, fetching, typing.

    `PlainResource` exposes it as ``list_page``/``list``/``get``; a resource with special
    operations (orders) subclasses `Resource` and writes its typed signatures on top.
    """

    def __init__(self, requester: Requester, spec: ResourceSpec[T]) -> None:
        self._requester = requester
        self._version = requester.version
        self.spec = spec

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec.name} ({self._version.name})>"

    # -- validation -----------------------------------------------------------------

    def _listing(self) -> Listing:
        listing = self.spec.listing
        if listing is None:
            raise TypeError(f"{self.spec.label} cannot be listed")
        self._version.path(self.spec.name)  # not in this version: raise before sending
        return listing

    def list_query(
        self,
        *,
        limit: int | None = None,
        with_: str | Iterable[str] | None = None,
        date_from: DateLike | None = None,
        date_to: DateLike | None = None,
        sort: str | None = None,
        filters: Filters | None = None,
        **params: Any,
    ) -> tuple[int, QueryPairs]:
        """Check list arguments; return the page size and the query (without ``page``)."""
        listing = self._listing()
        if limit is None:
            limit = listing.default_limit
        check_int("limit", limit, minimum=1, maximum=listing.max_limit)
        if sort is not None and not listing.sort_fields:
            invalid("sort", f"None ({self.spec.label} take no sort)", sort)
        if sort is not None and parse_sort(sort)[0] not in listing.sort_fields:
            fields = ", ".join(listing.sort_fields)
            invalid("sort", f"one of {fields} (prefix '-' for descending)", sort)
        if not listing.date_range and (date_from is not None or date_to is not None):
            invalid("date_from/date_to", f"None ({self.spec.label} take no date range)",
                    date_from if date_from is not None else date_to)
        top, typed = _typed_arguments(self.spec.label, "listings", listing.params, params,
                                      self._version)
        if typed and filters:
            typed += filters.items() if isinstance(filters, Mapping) else filters
        query = encode_list_query(
            limit=limit,
            params=top,
            with_=_relations(self.spec.label, with_, listing.with_values),
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            filters=typed or filters,
            nested_sort=listing.nested_sort,
        )
        return limit, query

    # -- operations (each once, raw) ----------------------------------------------------

    async def fetch_page(self, number: int, limit: int, query: QueryPairs) -> Page[T]:
        """Fetch page ``number`` of an already checked query; the page carries its reply."""
        reply = await self._requester.request(
            "GET", self._version.path(self.spec.name), params=[("page", str(number)), *query]
        )
        envelope = reply.envelope
        # Data that is not a list fails the page; an item that does not fit its model is
        # degraded rather than failing it (unless the client is strict).
        items, degraded = structured(reply, lambda data: typed_page_items(
            data, self.spec.model, strict=self._requester.strict, page=number)).parsed
        if isinstance(envelope.raw, list):
            # A bare array is the whole collection: one page, then stop.
            return Page(items=items, page=number, limit=limit, total=len(items),
                        server_total_pages=number, raw_items=envelope.data,
                        degraded=degraded, reply=reply)
        per_page, total, total_pages = _believable_counts(envelope, number, limit, len(items))
        return Page(
            items=items,
            page=envelope.page if envelope.page is not None else number,
            limit=per_page,
            total=total,
            server_total_pages=total_pages,
            raw_items=envelope.data,
            degraded=degraded,
            reply=reply,
        )

    async def _list_page(self, page: int, **arguments: Any) -> APIResponse[Page[T]]:
        check_int("page", page, minimum=1)
        limit, query = self.list_query(**arguments)
        fetched = await self.fetch_page(page, limit, query)
        assert fetched.reply is not None
        return APIResponse(fetched, fetched.reply)

    async def _get(self, item_id: ResourceId, **arguments: Any) -> APIResponse[T]:
        if not self.spec.gettable:
            raise TypeError(f"{self.spec.label} have no get operation")
        with_ = _relations(self.spec.label, arguments.pop("with_", None),
                           self.spec.get_with_values)
        top, typed = _typed_arguments(self.spec.label, "get", self.spec.get_params, arguments,
                                      self._version, base=("with_",))
        path = self._version.path(self.spec.name, check_id("id", item_id))
        query = encode_list_query(params=top, with_=with_, filters=typed or None)
        reply = await self._requester.request("GET", path, params=query)
        return structured(reply, lambda data: structure(data, self.spec.model))

    def paginator(
        self, *, start_page: int, max_items: int | None, concurrency: int, **arguments: Any
    ) -> AsyncPaginator[T]:
        """The `AsyncPaginator` over a checked listing (arguments are checked now)."""
        check_int("start_page", start_page, minimum=1)
        if max_items is not None:
            check_int("max_items", max_items, minimum=1)
        check_int("concurrency", concurrency, minimum=1, maximum=DEFAULT_MAX_CONCURRENCY)
        limit, query = self.list_query(**arguments)

        async def fetch(number: int) -> Page[T]:
            return await self.fetch_page(number, limit, query)

        return AsyncPaginator(fetch, limit=limit, start_page=start_page, max_items=max_items,
                              concurrency=concurrency, relax_gc=self._requester.relax_gc)


class PlainResource(Resource[T]):
    """A read-only resource with nothing but its declaration. Example::

        async for sale_type in clopos.sale_types.list():
            print(sale_type.id, sale_type.name)
        raw = await clopos.sale_types.with_raw_response.list_page()
        print(raw.status_code, raw.json)
    """

    @property
    def with_raw_response(self) -> RawResource[T]:
        """The same operations, returning `APIResponse` (typed result + status, headers, JSON)."""
        return RawResource(self)

    async def list_page(self, *, page: int = 1, **arguments: Any) -> Page[T]:
        """Fetch one page: ``limit``, ``with_``, ``sort``, ``filters`` and typed parameters.

        Example::

            page = await clopos.sale_types.list_page(limit=20)
            print(page.total, [s.name for s in page.items], page.reply.response.status)
        """
        return (await self._list_page(page, **arguments)).parsed

    def list(
        self,
        *,
        start_page: int = 1,
        max_items: int | None = None,
        concurrency: int = 1,
        **arguments: Any,
    ) -> AsyncPaginator[T]:
        """Iterate over every item, page by page; arguments are checked now. Example::

            sale_types = await clopos.sale_types.list().collect()
        """
        return self.paginator(start_page=start_page, max_items=max_items,
                              concurrency=concurrency, **arguments)

    async def get(self, item_id: ResourceId, **arguments: Any) -> T:
        """Fetch one item by id (for resources declared ``gettable``)."""
        return (await self._get(item_id, **arguments)).parsed


class RawResource(Generic[T]):
    """``resource.with_raw_response``: each operation returns an `APIResponse`."""

    def __init__(self, resource: Resource[T]) -> None:
        self._resource = resource  # the operations are its underscored, raw-returning ones

    async def list_page(self, *, page: int = 1, **arguments: Any) -> APIResponse[Page[T]]:
        """One page, with the reply it came in."""
        return await self._resource._list_page(page, **arguments)

    async def get(self, item_id: ResourceId, **arguments: Any) -> APIResponse[T]:
        """One item, with the reply it came in."""
        return await self._resource._get(item_id, **arguments)
