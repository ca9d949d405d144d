"""The ids that seeded resources share, so a reference from one to another always resolves.

Each resource's seed module builds its rows from these; another resource that points at them
(an order line's product, a receipt's payment method or user, a customer's group, a price list's
prices) takes its ids from here rather than repeating the numbers.
"""

from __future__ import annotations

__all__ = ["CUSTOMER_GROUPS", "PAYMENT_METHODS", "USERS"]

# (id, name, balance type): a receipt's ``payment_methods[]`` names these (REFERENCE §4.11).
PAYMENT_METHODS = ((1, "Cash", "CASH"), (2, "Card", "CARD"), (3, "Bonus", None))

# (id, name, system_type): customers' ``group_id`` (REFERENCE §4.3).
CUSTOMER_GROUPS = ((1, "My customers", "my_customers"), (2, "VIP", None))

# (id, username, owner): receipts' ``user_id``/``open_by_user_id`` (REFERENCE §4.9).
USERS = ((1, "owner", 1), (2, "cashier", 0), (3, "waiter", 0))
