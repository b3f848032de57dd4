"""Grounding context: the ``@date`` and ``@number`` functions that ``kb/*.lp`` may call.

Dates and large numbers are kept as terms that clingo compares correctly:

* a date is the integer ``YYYYMMDD`` (``2026-12-02`` -> ``20261202``), which orders like the date;
* a number is the tuple ``(E, M, R)`` with value ``M * 10**E`` and ``M`` a 9-digit integer,
  ``R`` = 1 when digits beyond the ninth were dropped (``3.8e25`` -> ``(17, 380000000, 0)``);
  clingo compares tuples lexicographically, so ``(E1, M1, R1) > (E2, M2, R2)`` holds exactly
  when the first value is the larger (for thresholds of at most 9 digits), far beyond
  clingo's 32-bit integers (Art. 51(2): training compute "greater than 10^25" FLOPs).
  Zero is ``(-1000000, 0, 0)`` so that it is below every positive value; negative values
  are rejected (no quantity in the vocabulary can be negative).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, InvalidOperation

import clingo

MANTISSA_DIGITS = 9
_ZERO = (-1_000_000, 0, 0)


def date_value(value: _dt.date) -> int:
    """Return ``value`` as the integer YYYYMMDD used for dates in the knowledge base."""
    return value.year * 10000 + value.month * 100 + value.day


def parse_number(text: str | int | float | Decimal) -> Decimal:
    """Parse ``3.8e25``, ``3.8e+25``, ``38000000000000000000000000`` or a Python number.

    Raises:
        ValueError: the text is not a finite, non-negative number.
    """
    try:
        number = Decimal(str(text).strip().replace("_", ""))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{text!r} is not a finite, non-negative number")
    return number


def number_tuple(value: Decimal) -> tuple[int, int, int]:
    """Return ``(E, M, R)`` with ``M * 10**E <= value``, ``10**8 <= M < 10**9`` and ``R``
    = 1 when ``value`` has further non-zero digits (so ``1.0000000001e25 > 1e25`` still holds).
    """
    if value == 0:
        return _ZERO
    sign, digits, exponent = value.normalize().as_tuple()
    digits_str = "".join(map(str, digits))
    exp10 = exponent + len(digits_str) - 1  # value = d.ddd * 10**exp10
    mantissa = int((digits_str + "0" * MANTISSA_DIGITS)[:MANTISSA_DIGITS])
    rest = 1 if digits_str[MANTISSA_DIGITS:].strip("0") else 0
    return exp10 - (MANTISSA_DIGITS - 1), mantissa, rest


def number_symbol(value: Decimal) -> clingo.Symbol:
    """Return the clingo tuple symbol for ``value`` (see :func:`number_tuple`)."""
    return clingo.Tuple_([clingo.Number(part) for part in number_tuple(value)])


class GroundingContext:
    """Functions callable from the knowledge base as ``@date("YYYY-MM-DD")`` and ``@number("1e25")``."""

    @staticmethod
    def date(text: clingo.Symbol) -> clingo.Symbol:
        """``@date("2026-12-02")`` -> ``20261202``. Raises ValueError on a malformed date."""
        return clingo.Number(date_value(_dt.date.fromisoformat(text.string)))

    @staticmethod
    def number(text: clingo.Symbol) -> clingo.Symbol:
        """``@number("1e25")`` -> ``(17, 100000000, 0)``. Raises ValueError on a malformed number."""
        raw = text.string if text.type == clingo.SymbolType.String else str(text.number)
        return number_symbol(parse_number(raw))
