"""The one structuring engine (issue 9.1) and its lenient rules (issue 8.1, 8.2), without a server.

The compiled functions are checked against a deliberately naive reading of the models
(`_reference`): one field at a time, the default when the key is absent, the converter's own
hooks for the values. Hypothesis feeds both partial dicts of every response model.
"""

from __future__ import annotations

import importlib.util
import json
import types
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clopos_async.models import orders as order_models
from clopos_async.models.fields import wire, wire_name
from clopos_async.models.orders import Order, OrderMeta
from clopos_async.serde import (
    StructureError,
    converter,
    structure,
    structure_items,
    structure_list,
    unstructure,
)
from clopos_async.testing import make_orders


@attrs.frozen(kw_only=True)
class Defaults:
    """A test model whose defaults are not None: the case the old fast path got wrong."""

    key: int | str
    count: int | None = 3
    label: str = "none given"
    tags: tuple[OrderMeta, ...] = (OrderMeta(comment="default"),)
    made: list[int] = attrs.field(factory=lambda: [7])
    camel_case: Decimal | None = attrs.field(default=None, metadata=wire("camelCase"))
    meta: OrderMeta | None = attrs.field(default=OrderMeta(comment="default meta"))


@attrs.frozen(kw_only=True)
class Counted:
    """The issue's example: ``x: int | None = 3``, every other field as the order models."""

    id: int | str
    x: int | None = 3
    name: str | None = None


for _model in (Defaults, Counted):
    attrs.resolve_types(_model)

RESPONSE_MODELS = [
    getattr(order_models, name)
    for name in order_models.__all__
    if attrs.has(getattr(order_models, name))
]
MODELS = [*RESPONSE_MODELS, Defaults, Counted]


def _model_in(tp: Any) -> Any:
    """The model a field holds (``X`` or ``X | None``), else None."""
    if get_origin(tp) in (Union, types.UnionType):
        models = [arg for arg in get_args(tp) if attrs.has(arg)]
        return models[0] if models else None
    return tp if attrs.has(tp) else None


def _reference(cls: Any, data: Any) -> Any:
    """The models read naively, field by field (what the compiled code must agree with)."""
    if cls is order_models.Modificator and "modificator" in data:
        return converter.structure(data, cls)  # the reshaping is tested in test_serde
    values: dict[str, Any] = {}
    for field in attrs.fields(cls):
        key = wire_name(field)
        model = _model_in(field.type)
        if key not in data or (model is not None and data[key] == []):
            if field.default is attrs.NOTHING:
                raise StructureError("required field is missing")
            default = field.default
            fresh = isinstance(default, attrs.Factory)  # type: ignore[arg-type]
            values[field.alias] = default.factory() if fresh else default
        elif model is not None:
            values[field.alias] = None if data[key] is None else _reference(model, data[key])
        elif get_origin(field.type) is tuple and attrs.has(get_args(field.type)[0]):
            item = get_args(field.type)[0]
            values[field.alias] = tuple(_reference(item, e) for e in data[key] or ())
        else:
            values[field.alias] = converter.structure(data[key], field.type)
    return cls(**values)


def _partial_json(cls: Any, depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """Valid JSON for ``cls`` with any subset of its keys (absent, null, [] for objects)."""
    optional: dict[str, st.SearchStrategy[Any]] = {}
    required: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        target = required if field.default is attrs.NOTHING else optional
        target[wire_name(field)] = _json_for(field.type, depth)
    return st.fixed_dictionaries(required, optional=optional)


_SCALAR_JSON: dict[Any, st.SearchStrategy[Any]] = {
    int: st.integers(-(10**12), 10**12) | st.integers(0, 99).map(str),
    str: st.text(max_size=6) | st.integers(0, 99),
    bool: st.booleans() | st.sampled_from([0, 1, "true", "0"]),
    Decimal: st.integers(-999, 999) | st.sampled_from([8.5, 0.1, "16.2000", 2.5]),
    object: st.none() | st.text(max_size=4) | st.just([]) | st.just({"a": 1}),
}


def _json_for(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    model = _model_in(tp)
    if model is not None:
        nested = _partial_json(model, depth + 1) if depth < 3 else st.just({})
        return st.none() | st.just([]) | nested
    if get_origin(tp) in (Union, types.UnionType):
        return st.one_of([_json_for(arg, depth) for arg in get_args(tp)])
    if tp is type(None):
        return st.none()
    if get_origin(tp) is tuple:
        item = get_args(tp)[0]  # a model: list items are objects (null or [] is no item)
        items = _partial_json(item, depth + 1) if depth < 3 else st.just({})
        return st.none() | st.lists(items, max_size=2)
    if get_origin(tp) is list:
        return st.lists(st.integers(0, 9), max_size=2)
    if tp in _SCALAR_JSON:
        return _SCALAR_JSON[tp]
    if isinstance(tp, type) and issubclass(tp, str):  # OrderStatus
        return st.sampled_from(["pending", "DELIVERED", "weird"])
    if isinstance(tp, type) and issubclass(tp, int):  # DiscountType
        return st.integers(0, 3)
    return st.datetimes().map(lambda d: d.isoformat() + "Z") | st.just("garbage")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=60)
@given(data=st.data())
def test_compiled_functions_agree_with_a_naive_reading(model: Any, data: st.DataObject) -> None:
    value = data.draw(_partial_json(model))
    assert structure(value, model) == _reference(model, value)
    assert converter.structure(value, model) == _reference(model, value)
    assert structure_list([value, value], model) == [_reference(model, value)] * 2


def test_an_absent_key_gets_the_field_default() -> None:
    assert structure({"id": 1}, Counted) == Counted(id=1, x=3)
    assert structure_list([{"id": 1}, {"id": 2, "x": None}], Counted) == [
        Counted(id=1, x=3), Counted(id=2, x=None)
    ]


def test_field_defaults_apply_when_the_key_is_absent() -> None:
    built = structure({"key": 1}, Defaults)
    assert built.count == 3 and built.label == "none given"
    assert built.tags == (OrderMeta(comment="default"),) and built.made == [7]
    assert built.meta == OrderMeta(comment="default meta")
    # A factory default is fresh each time; null is null, not the default.
    assert structure({"key": 2}, Defaults).made is not built.made
    nulls = structure({"key": 1, "count": None, "meta": None}, Defaults)
    assert nulls.count is None and nulls.meta is None
    with pytest.raises(StructureError, match=r"^Defaults\.key: required field is missing"):
        structure({"count": 1}, Defaults)


def test_wire_names_come_from_the_field() -> None:
    assert structure({"key": 1, "camelCase": "1.50"}, Defaults).camel_case == Decimal("1.50")
    assert structure({"key": 1, "camel_case": "1.50"}, Defaults).camel_case is None
    assert "camelCase" in unstructure(structure({"key": 1}, Defaults))
    assert [wire_name(f) for f in attrs.fields(OrderMeta)].count("orderTotal") == 1


def test_one_engine_and_no_side_module() -> None:
    assert importlib.util.find_spec("clopos_async.fast_structure") is None
    import clopos_async.serde as serde

    assert not hasattr(serde, "WIRE_NAMES")


def _model_fields(cls: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The JSON paths of every model-typed field reachable from ``cls`` (lists: first item)."""
    paths: list[tuple[str, ...]] = []
    for field in attrs.fields(cls):
        key = wire_name(field)
        model = _model_in(field.type)
        if model is not None:
            paths.append((*prefix, key))
            paths += _model_fields(model, (*prefix, key))
    return paths


def _with_empty_array_at(path: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": 1}
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = []
    return data


@pytest.mark.parametrize("path", _model_fields(Order), ids=".".join)
def test_an_empty_array_is_an_absent_object_everywhere(path: tuple[str, ...]) -> None:
    order = structure(_with_empty_array_at(path), Order)
    node: Any = order
    for key in path[:-1]:
        node = getattr(node, key)
    assert node is not None
    assert getattr(node, {"orderTotal": "order_total"}.get(path[-1], path[-1])) is None


def test_an_empty_array_in_a_line_and_through_the_optional_hook() -> None:
    line = {"meta": {"order_product": {"product": [], "count": 2}}}
    order = structure({"id": 1, "payload": {"products": [line], "meta": []}}, Order)
    assert order.payload is not None and order.payload.meta is None
    snapshot = order.payload.products[0].meta.order_product  # type: ignore[union-attr]
    assert snapshot is not None and snapshot.product is None and snapshot.count == 2
    assert converter.structure([], OrderMeta | None) is None
    # Only where an object is expected: [] is still not an order, nor a number.
    with pytest.raises(StructureError, match="expected a JSON object"):
        structure([], Order)
    with pytest.raises(StructureError, match=r"^Order\.venue_id"):
        structure({"id": 1, "venue_id": []}, Order)


def test_a_located_error_is_not_its_own_cause() -> None:
    with pytest.raises(StructureError) as caught:
        structure({"id": 1, "payload": {"products": [{}, {"count": "two"}]}}, Order)
    assert str(caught.value).startswith("Order.payload.products[1].count: expected an integer")
    seen, error = set(), caught.value
    while error is not None:
        assert id(error) not in seen
        seen.add(id(error))
        error = error.__cause__ or error.__context__  # type: ignore[assignment]


# -- degrading one item instead of failing the page (8.2) --


def _page() -> list[Any]:
    return json.loads(json.dumps(make_orders(6, seed=3)))


def test_a_page_that_fits_has_nothing_degraded() -> None:
    items, degraded = structure_items(_page(), Order)
    assert degraded == () and items == structure_list(_page(), Order)


def test_a_bad_leaf_costs_only_that_leaf() -> None:
    page = _page()
    page[2]["payload"]["products"][0]["count"] = "two"
    page[4]["venue_id"] = "venue-1"
    items, degraded = structure_items(page, Order)
    good = structure_list(_page(), Order)
    assert [item.id for item in items] == [1, 2, 3, 4, 5, 6]
    assert [d.index for d in degraded] == [2, 4] and [d.id for d in degraded] == [3, 5]
    assert degraded[0].problems == ("payload.products[0].count: expected an integer, got 'two'",)
    assert degraded[1].problems == ("venue_id: expected an integer, got 'venue-1'",)
    line = items[2].payload.products[0]  # type: ignore[union-attr]
    assert line.count is None and line.meta == good[2].payload.products[0].meta  # type: ignore[union-attr]
    assert attrs.evolve(items[2], payload=good[2].payload) == good[2]
    assert items[4].venue_id is None
    assert attrs.evolve(items[4], venue_id=good[4].venue_id) == good[4]
    assert [items[i] for i in (0, 1, 3, 5)] == [good[i] for i in (0, 1, 3, 5)]


def test_a_wrong_object_and_a_wrong_list_become_none_and_empty() -> None:
    page = _page()
    page[0]["payload"]["service"] = 17
    page[1]["payload"]["products"] = {"1": page[1]["payload"]["products"][0]}
    items, degraded = structure_items(page, Order)
    assert items[0].payload.service is None  # type: ignore[union-attr]
    assert items[0].payload.customer is not None  # type: ignore[union-attr]
    assert items[1].payload.products == ()  # type: ignore[union-attr]  # a list stays a tuple
    assert degraded[0].problems == ("payload.service: expected a JSON object, got int",)
    assert degraded[1].problems[0].startswith("payload.products: expected a JSON array")


def test_an_item_without_a_usable_id_or_not_an_object_still_comes_through() -> None:
    items, degraded = structure_items([{"id": None, "status": "PENDING"}, 5, {"id": 9}], Order)
    assert items[0].id is None and items[0].status == "PENDING"
    assert items[1] == Order(id=None)  # type: ignore[arg-type]
    assert items[2].id == 9
    assert [(d.index, d.id) for d in degraded] == [(0, None), (1, None)]
    assert degraded[0].problems == ("id: expected an integer or string id, got None",)
    assert degraded[1].problems == ("expected a JSON object, got int",)


def test_strict_raises_with_the_index() -> None:
    page = _page()
    page[3]["payload"]["meta"]["discount"] = "10%"
    with pytest.raises(StructureError, match=r"^Order\[3\]\.payload\.meta\.discount: expected"):
        structure_items(page, Order, strict=True)
    with pytest.raises(StructureError, match="expected a JSON array"):
        structure_items({"id": 1}, Order)  # type: ignore[arg-type]


def _models_within(value: Any) -> list[Any]:
    """Every model instance in ``value``, itself included, depth first."""
    if isinstance(value, tuple):
        return [found for item in value for found in _models_within(item)]
    if not attrs.has(type(value)):
        return []
    inner = [_models_within(getattr(value, field.name)) for field in attrs.fields(type(value))]
    return [value, *(found for part in inner for found in part)]


def test_built_models_are_the_declared_classes_and_stay_frozen() -> None:
    # The compiled functions fill an unguarded twin class and then retype the object: what
    # comes out must be the model itself (type, equality, hash, pickling), frozen as ever.
    import pickle

    data = json.loads(json.dumps(make_orders(3, seed=7)))
    orders = structure_list(data, Order)
    built = [found for order in orders for found in _models_within(order)]
    declared = set(RESPONSE_MODELS)
    assert {type(found) for found in built} >= {Order, order_models.OrderLine}
    for found in built:
        assert type(found) in declared, type(found)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            found.__setattr__(attrs.fields(type(found))[0].name, None)
    for order, item in zip(orders, data, strict=True):
        again = _reference(Order, item)
        assert order == again and hash(order) == hash(again)
        assert pickle.loads(pickle.dumps(order)) == order
        assert attrs.evolve(order, status="X").status == "X"


def test_shared_decimals_keep_the_form_each_json_type_sent() -> None:
    # 1, 1.0 and "1.0" are equal numbers (and 1 == 1.0 as dict keys): each JSON type has its
    # own table, so the shared instance prints as that value was sent.
    def total(sent: object) -> Decimal | None:
        meta = structure({"orderTotal": sent}, OrderMeta)
        return meta.order_total

    for _ in range(2):  # the second round is served from the tables
        assert [repr(total(sent)) for sent in (1, 1.0, "1.0", "1", 2.5)] == [
            "Decimal('1')", "Decimal('1.0')", "Decimal('1.0')", "Decimal('1')", "Decimal('2.5')"]
    assert total(8.25) is total(8.25)
    assert total("inf") is None and total(float("nan")) is None
    with pytest.raises(StructureError, match="orderTotal: expected a number, got True"):
        structure({"orderTotal": True}, OrderMeta)
