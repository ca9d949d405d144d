"""The write commands of receipts and customers: ``receipts close|update``, ``customers create``.

Their reads (list, get, export) come from the declarations (`resources.RESOURCE_COMMANDS`);
these add only what is not a read. Each prints the resulting receipt or customer as JSON.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from .. import AsyncClopos
from ..dumping import dump_json
from ..models.customers import Gender, NewCustomer
from ..models.receipts import ReceiptPayment
from ..resources.receipts import ORDER_STATUSES
from ..serde import unstructure
from .catalogue import Extra
from .errors import UsageError

__all__ = ["SALES_ACTIONS", "parse_day", "parse_payment", "parse_utc_time"]

_UPDATE_FLAGS = "--order-status, --order-number, --fiscal-id, --lock or --unlock"


def _item_id(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def parse_payment(text: str) -> ReceiptPayment:
    """``ID:NAME:AMOUNT`` (``2:Card:81.40``) as a `ReceiptPayment`."""
    parts = text.split(":")
    try:
        method, name, amount = parts
        return ReceiptPayment(id=_item_id(method.strip()), name=name.strip(),
                              amount=Decimal(amount.strip()))
    except (ValueError, InvalidOperation):
        raise argparse.ArgumentTypeError(
            f"a payment is ID:NAME:AMOUNT, e.g. 2:Card:81.40, got {text!r}") from None


def parse_utc_time(text: str) -> datetime:
    """``YYYY-MM-DD HH:MM:SS`` (UTC) or ISO 8601 with an offset."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected YYYY-MM-DD HH:MM:SS (UTC), got {text!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def parse_day(text: str) -> date:
    """``YYYY-MM-DD``; argparse would otherwise say "invalid fromisoformat value"."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _print(model: object) -> None:
    sys.stdout.write(dump_json(unstructure(model), pretty=True) + "\n")


async def _close(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    _print(await clopos.receipts.close(_item_id(args.id), payment_methods=args.payments,
                                       closed_at=args.closed_at))


async def _update(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    changes = (args.order_status, args.order_number, args.fiscal_id, args.lock)
    if all(change is None for change in changes):
        # The SDK refuses it too, but in its parameters' names ("lock", "got None").
        raise UsageError(f"receipts update needs at least one of {_UPDATE_FLAGS}")
    _print(await clopos.receipts.update(_item_id(args.id), order_status=args.order_status,
                                        order_number=args.order_number,
                                        fiscal_id=args.fiscal_id, lock=args.lock))


async def _create_customer(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    gender = {"male": Gender.MALE, "female": Gender.FEMALE}.get(args.gender or "")
    customer = NewCustomer(name=args.name, phone=args.phone, email=args.email, code=args.code,
                           description=args.description, group_id=args.group_id,
                           gender=gender, date_of_birth=args.date_of_birth)
    _print(await clopos.customers.create(customer))


def _close_flags(close: argparse.ArgumentParser) -> None:
    close.add_argument("id", metavar="ID", help="the receipt's id")
    close.add_argument("--payment", dest="payments", type=parse_payment, action="append",
                       required=True, metavar="ID:NAME:AMOUNT",
                       help="repeatable: a payment method id, its name and the amount")
    close.add_argument("--closed-at", type=parse_utc_time, metavar="TIME",
                       help="YYYY-MM-DD HH:MM:SS, UTC (default: the server's now)")


def _update_flags(update: argparse.ArgumentParser) -> None:
    update.add_argument("id", metavar="ID", help="the receipt's id")
    update.add_argument("--order-status", help=f"one of {', '.join(ORDER_STATUSES)}")
    update.add_argument("--order-number", help="the receipt's order number, e.g. RPO-00001")
    update.add_argument("--fiscal-id", help="the receipt's fiscal id")
    lock = update.add_mutually_exclusive_group()
    lock.add_argument("--lock", dest="lock", action="store_const", const=True,
                      help="set the receipt's lock flag")
    lock.add_argument("--unlock", dest="lock", action="store_const", const=False,
                      help="clear the receipt's lock flag")


def _create_customer_flags(create: argparse.ArgumentParser) -> None:
    create.add_argument("--name", required=True, help="the customer's name (required)")
    create.add_argument("--phone", help="unique: a taken phone exits with a conflict")
    create.add_argument("--email", help="the customer's email address")
    create.add_argument("--code", help="the customer's code; unique")
    create.add_argument("--description", help="a free-text note")
    create.add_argument("--group-id", type=int, metavar="ID",
                        help="the customer group's id (see customer-groups list)")
    create.add_argument("--gender", choices=("male", "female"), help="male or female")
    create.add_argument("--date-of-birth", type=parse_day, metavar="YYYY-MM-DD",
                        help="the customer's birthday")


# Command -> action -> (summary, its flags, what it runs), as `resources.EXTRA_ACTIONS` takes.
SALES_ACTIONS: dict[str, dict[str, Extra]] = {
    "receipts": {
        "close": ("close an open receipt with its payments", _close_flags, _close),
        "update": ("set order_status, order_number, fiscal_id or lock", _update_flags, _update),
    },
    "customers": {"create": ("create a customer", _create_customer_flags, _create_customer)},
}
