"""clopos-async: an async, typed client for the Clopos Open API (v1 and v2).

Example::

    from clopos_async import AsyncClopos

    async with AsyncClopos.from_env() as clopos:
        async for order in clopos.orders.list(status="PENDING"):
            print(order.id, order.status)

`clopos_async.testing.FakeClopos` serves the documented API on loopback for your tests.
"""

from __future__ import annotations

import logging

from ._version import __version__
from .client import AsyncClopos
from .config import ClientConfig
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CloposError,
    ConflictError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)
from .idempotency import idempotency_key_of, new_idempotency_key
from .models.categories import Category
from .models.customer_groups import CustomerGroup
from .models.customers import Customer, CustomerBalance, Gender, NewCustomer
from .models.enums import DiscountType, OrderStatus
from .models.new_order import NewOrder, NewOrderCustomer, NewOrderModifier, NewOrderProduct
from .models.new_receipt import NewReceipt, NewReceiptProduct
from .models.orders import (
    Discount,
    LineItem,
    Modificator,
    Order,
    OrderCustomer,
    OrderLine,
    OrderLineMeta,
    OrderMeta,
    OrderPayload,
    OrderProductSnapshot,
    OrderReceipt,
    OrderService,
    SnapshotProduct,
)
from .models.page import DegradedItem, Page
from .models.payment_methods import PaymentBalance, PaymentMethod, PaymentService
from .models.price_lists import Price, PriceList, PriceListRef
from .models.products import (
    ModificatorGroup,
    Product,
    ProductCode,
    ProductModifier,
    ProductPackage,
    RecipeItem,
    Tax,
    TimerPrice,
    TimerSetting,
)
from .models.receipts import (
    Receipt,
    ReceiptPayment,
    ReceiptProduct,
    ReceiptProperties,
    ReceiptStatus,
    StockOperation,
)
from .models.sale_types import SaleType
from .models.stations import Station
from .models.stop_list import StopListChange, StopListEntry
from .models.users import User
from .models.venues import Venue
from .pagination import AsyncPaginator, PaginationError
from .ratelimit import RateLimitState
from .reply import APIResponse, Reply
from .resources.receipt_watch import ReceiptEvent
from .resources.watch import OrderEvent
from .retry import RetryPolicy
from .timeout import Timeout
from .validators import ArgumentTypeError
from .versions import NotInVersionError

# A library never decides where its logs go: without this, Python's last-resort handler
# prints our retry warnings in scripts that never configured logging (the CLI adds its own).
logging.getLogger("clopos_async").addHandler(logging.NullHandler())

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "ArgumentTypeError",
    "AsyncClopos",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "Category",
    "ClientConfig",
    "CloposError",
    "ConflictError",
    "Customer",
    "CustomerBalance",
    "CustomerGroup",
    "DegradedItem",
    "Discount",
    "DiscountType",
    "Gender",
    "LineItem",
    "Modificator",
    "ModificatorGroup",
    "NewCustomer",
    "NewOrder",
    "NewOrderCustomer",
    "NewOrderModifier",
    "NewOrderProduct",
    "NewReceipt",
    "NewReceiptProduct",
    "NotFoundError",
    "NotInVersionError",
    "Order",
    "OrderCustomer",
    "OrderEvent",
    "OrderLine",
    "OrderLineMeta",
    "OrderMeta",
    "OrderPayload",
    "OrderProductSnapshot",
    "OrderReceipt",
    "OrderService",
    "OrderStatus",
    "OutcomeUnknownError",
    "Page",
    "PaginationError",
    "PaymentBalance",
    "PaymentMethod",
    "PaymentService",
    "PermissionDeniedError",
    "Price",
    "PriceList",
    "PriceListRef",
    "Product",
    "ProductCode",
    "ProductModifier",
    "ProductPackage",
    "RateLimitError",
    "RateLimitState",
    "Receipt",
    "ReceiptEvent",
    "ReceiptPayment",
    "ReceiptProduct",
    "ReceiptProperties",
    "ReceiptStatus",
    "RecipeItem",
    "RedirectError",
    "Reply",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RetryPolicy",
    "SaleType",
    "ServerError",
    "SnapshotProduct",
    "Station",
    "StockOperation",
    "StopListChange",
    "StopListEntry",
    "Tax",
    "Timeout",
    "TimerPrice",
    "TimerSetting",
    "UnprocessableEntityError",
    "User",
    "Venue",
    "__version__",
    "idempotency_key_of",
    "new_idempotency_key",
]
