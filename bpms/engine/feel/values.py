"""FEEL's semantics on the Python values a context holds: None, bool, int, float, Decimal, str,
list, dict, datetime.date, datetime.datetime and datetime.timedelta (a days-and-time duration).

Every number this module computes is a Decimal, whatever the operands were: FEEL numbers are
decimals, and one result type spares the caller from guessing. Operands are converted first, a
float through its shortest repr (Decimal(str(0.1)) is 0.1 exactly), so 0.1 + 0.2 = 0.3.

Operators never raise for a bad combination of values: they give null, as FEEL does."""

import datetime
import decimal
from collections.abc import Mapping
from decimal import Decimal

# FEEL numbers are IEEE 754 decimal128: 34 significant digits, exponents up to 6144, rounding
# half to even. The exponent bound also keeps 10 ** 999999 from becoming a million-digit string.
# The traps turn division by zero, overflow and undefined results into exceptions that become null.
DECIMAL_CONTEXT = decimal.Context(
    prec=34, rounding=decimal.ROUND_HALF_EVEN, Emax=6144, Emin=-6143,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def is_number(value) -> bool:
    # bool is an int in Python, but true is no number in FEEL.
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def to_decimal(value):
    """The Decimal of a number; None for anything else, NaN and the infinities included."""
    if not is_number(value):
        return None
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return number if number.is_finite() else None


# Positions, lengths and scales never come near this; converting 1E+999999 to an int would
# take half a minute.
_INTEGER_DIGITS = 18


def to_integer(value):
    """The int of an integral number (2, 2.0) of at most 18 digits, None for anything else."""
    number = to_decimal(value)
    if number is None or number != number.to_integral_value() or number.adjusted() >= _INTEGER_DIGITS:
        return None
    return int(number)


# --- equality and order ---

def equals(left, right) -> bool:
    """FEEL's = as a plain boolean: null equals only null, and values of different kinds are
    unequal (1 = "1" is false, not null), so != is always the negation of =."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(equals, left, right))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(equals(left[key], right[key]) for key in left)
    pair = _comparable(left, right)
    return pair is not None and pair[0] == pair[1]


def compare(left, right):
    """-1, 0 or 1 as left comes before, with or after right; None when FEEL cannot order them."""
    pair = _comparable(left, right)
    if pair is None:
        return None
    first, second = pair
    return (first > second) - (first < second)


def _comparable(left, right):
    """Both values in a form Python orders the FEEL way, or None when they are not comparable."""
    if is_number(left) and is_number(right):
        left, right = to_decimal(left), to_decimal(right)
        return None if left is None or right is None else (left, right)
    if isinstance(left, datetime.date) and isinstance(right, datetime.date):
        return _comparable_dates(left, right)
    for kind in (str, datetime.timedelta):
        if isinstance(left, kind) and isinstance(right, kind):
            return left, right
    return None


def _comparable_dates(left, right):
    left_has_time, right_has_time = isinstance(left, datetime.datetime), isinstance(right, datetime.datetime)
    if left_has_time != right_has_time:
        # Our Date variables are always date-times, and rules say `< date("2024-01-01")`: a date
        # against a date-time compares calendar days, the date-time's day at its own offset.
        return _day(left), _day(right)
    if left_has_time and _is_aware(left) != _is_aware(right):
        return None  # no offset to line a local time up with an absolute one
    return left, right


def _day(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _is_aware(value):
    return value.utcoffset() is not None


def not_equal(left, right):
    return not equals(left, right)


def _ordering(accepts):
    def ordering(left, right):
        order = compare(left, right)
        return None if order is None else accepts(order)
    return ordering


less_than = _ordering(lambda order: order < 0)
less_or_equal = _ordering(lambda order: order <= 0)
greater_than = _ordering(lambda order: order > 0)
greater_or_equal = _ordering(lambda order: order >= 0)


# --- arithmetic ---

def _decimal_operation(operation, *operands):
    numbers = [to_decimal(operand) for operand in operands]
    if None in numbers:
        return None
    try:
        return operation(*numbers)
    except ArithmeticError:  # division by zero, overflow, a negative number to a fractional power
        return None


def _temporal_kind(value):
    if isinstance(value, datetime.datetime):
        return "date and time"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, datetime.timedelta):
        return "duration"
    return None


_ADDABLE = {("date", "duration"), ("date and time", "duration"), ("duration", "date"),
            ("duration", "date and time"), ("duration", "duration")}
_SUBTRACTABLE = {("date", "duration"), ("date and time", "duration"), ("duration", "duration"),
                 ("date", "date"), ("date and time", "date and time")}


def _temporal_operation(allowed, operation, left, right):
    if (_temporal_kind(left), _temporal_kind(right)) not in allowed:
        return None
    try:
        return operation(left, right)
    except (OverflowError, TypeError):  # beyond year 9999; a local date-time minus an absolute one
        return None


def add(left, right):
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if is_number(left) and is_number(right):
        return _decimal_operation(DECIMAL_CONTEXT.add, left, right)
    return _temporal_operation(_ADDABLE, lambda first, second: first + second, left, right)


def subtract(left, right):
    if is_number(left) and is_number(right):
        return _decimal_operation(DECIMAL_CONTEXT.subtract, left, right)
    return _temporal_operation(_SUBTRACTABLE, lambda first, second: first - second, left, right)


def multiply(left, right):
    return _decimal_operation(DECIMAL_CONTEXT.multiply, left, right)


def divide(left, right):
    return _decimal_operation(DECIMAL_CONTEXT.divide, left, right)


def power(left, right):
    return _decimal_operation(DECIMAL_CONTEXT.power, left, right)


def negate(value):
    if isinstance(value, datetime.timedelta):
        try:
            return -value
        except OverflowError:  # the most negative duration has no positive counterpart
            return None
    return _decimal_operation(DECIMAL_CONTEXT.minus, value)


def absolute(value):
    return _decimal_operation(DECIMAL_CONTEXT.abs, value)


# --- three-valued logic ---

def conjunction(values):
    """FEEL's `and`: false if any operand is false, true if all are true, null otherwise."""
    return _three_valued(values, deciding=False)


def disjunction(values):
    """FEEL's `or`: true if any operand is true, false if all are false, null otherwise."""
    return _three_valued(values, deciding=True)


def _three_valued(values, deciding):
    result = not deciding
    for value in values:
        if value is deciding:
            return deciding
        if value is not (not deciding):
            result = None
    return result
