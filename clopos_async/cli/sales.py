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
from ..serde import unstructure
from .catalogue import Extra

__all__ = ["SALES_ACTIONS", "parse_payment", "parse_utc_time"]



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


def _print(model: object) -> None:
    sys.stdout.write(dump_json(unstructure(model), pretty=True) + "\n")


async def _close(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    _print(await clopos.receipts.close(_item_id(args.id), payment_methods=args.payments,
                                       closed_at=args.closed_at))


async def _update(clopos: AsyncClopos, args: argparse.Namespace) -> None:
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
    update.add_argument("--order-status", help="NEW, IN_PROGRESS, READY, COMPLETED, ...")
    update.add_argument("--order-number")
    update.add_argument("--fiscal-id")
    lock = update.add_mutually_exclusive_group()
    lock.add_argument("--lock", dest="lock", action="store_const", const=True)
    lock.add_argument("--unlock", dest="lock", action="store_const", const=False)


def _create_customer_flags(create: argparse.ArgumentParser) -> None:
    create.add_argument("--name", required=True)
    create.add_argument("--phone", help="unique: a taken phone exits with a conflict")
    create.add_argument("--email")
    create.add_argument("--code", help="unique")
    create.add_argument("--description")
    create.add_argument("--group-id", type=int)
    create.add_argument("--gender", choices=("male", "female"))
    create.add_argument("--date-of-birth", type=date.fromisoformat, metavar="YYYY-MM-DD")


# Command -> action -> (summary, its flags, what it runs), as `resources.EXTRA_ACTIONS` takes.
SALES_ACTIONS: dict[str, dict[str, Extra]] = {
    "receipts": {
        "close": ("close an open receipt with its payments", _close_flags, _close),
        "update": ("set order_status, order_number, fiscal_id or lock", _update_flags, _update),
    },
    "customers": {"create": ("create a customer", _create_customer_flags, _create_customer)},
}
