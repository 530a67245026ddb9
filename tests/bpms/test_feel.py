"""The FEEL evaluator, one table per construct. Expected values follow FEEL (DMN 1.3) and, where the
package documents a choice of its own (numbers, = across kinds, dates against date-times, the
meaning of a plain expression as a unary test), that choice. Each table mixes cases that a naive
Python translation would get wrong: float arithmetic, True == 1, 0-based and wrapping indexes,
two-valued and/or, `and` inside function names."""

import datetime
from decimal import Decimal

import pytest

from bpms.engine.feel import (
    MAX_NESTING, MAX_TEXT_LENGTH, Expression, FeelError, FeelEvaluationError, FeelSyntaxError, UnaryTests,
    compile_expression, compile_unary_tests, evaluate,
)

UTC = datetime.timezone.utc
WARSAW_WINTER = datetime.timezone(datetime.timedelta(hours=1))

CONTEXT = {
    "amount": 1500,
    "ratio": 0.1,
    "price": Decimal("12.50"),
    "name": "Kermit",
    "flag": True,
    "nothing": None,
    "limit": 10,
    "numbers": [1, 2, 3, 4, 5],
    "order": {"customer": {"name": "Piggy"}, "total": 99},
    "orders": [{"price": 5, "item": "x"}, {"price": 20}, {"price": 12}],
    "matrix": [[1, 2], [3, 4]],
    "day": datetime.date(2024, 1, 31),
    "moment": datetime.datetime(2024, 1, 31, 10, 0, tzinfo=UTC),
    "local": datetime.datetime(2024, 1, 31, 10, 0),
    "one_hour": datetime.timedelta(hours=1),
    "huge": Decimal("1E+999999999"),
}


def value_of(text, **extra):
    return evaluate(text, {**CONTEXT, **extra})


def assert_value(text, expected):
    result = value_of(text)
    assert result == expected, f"{text} gave {result!r}"
    assert type(result) is type(expected), f"{text} gave {result!r} of type {type(result).__name__}"


def matches(tests, value, **extra):
    return compile_unary_tests(tests).matches(value, {**CONTEXT, **extra})


# --- expressions ---

@pytest.mark.parametrize("text, expected", [
    ("1", Decimal("1")),
    ("2.5", Decimal("2.5")),
    (".5", Decimal("0.5")),
    ("-3", Decimal("-3")),
    ("- .5", Decimal("-0.5")),
    ("true", True),
    ("false", False),
    ("null", None),
    ('"double"', "double"),
    (r'"say \"hi\""', 'say "hi"'),
    (r'"back\\slash"', "back\\slash"),
    (r'"a\nb\tc"', "a\nb\tc"),
    (r'"\u0041\u017c"', "Aż"),
    (r'"\ud83d\ude00"', "\U0001F600"),
    ('"and or if"', "and or if"),
    ("[]", []),
    ("[1, \"a\", null]", [Decimal(1), "a", None]),
    ('{a: 1, "b c": "x"}', {"a": Decimal(1), "b c": "x"}),
    ("{a: 1, b: a + 1}", {"a": Decimal(1), "b": Decimal(2)}),
    ("{}", {}),
])
def test_literals(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("amount", 1500),  # a context value is returned as it is, not converted
    ("name", "Kermit"),
    ("nothing", None),
    ("unknown", None),  # an absent name is null, not an error
    ("order.customer.name", "Piggy"),
    ("order.missing", None),
    ("order.customer.name.first", None),
    ("nothing.price", None),
    ("orders.price", [5, 20, 12]),
    ("numbers[1]", 1),
    ("numbers[5]", 5),
    ("numbers[-1]", 5),
    ("numbers[-5]", 1),
    ("numbers[0]", None),
    ("numbers[6]", None),
    ("numbers[-6]", None),
    ("numbers[limit - 8]", 2),
    ("orders[2].price", 20),
    ("matrix[2][1]", 3),
    ("name[1]", None),
    ("numbers[item > 3]", [4, 5]),
    ("numbers[item > 9]", []),
    ("orders[price > 10].price", [20, 12]),
    ("orders[price > limit and price < 15]", [{"price": 12}]),
    ('orders[item = "x"]', []),  # `item` is the element, even when the element has a key "item"
    ("orders[item.price = 20].price", [20]),
    ("[1, 2, 3][item != 2]", [Decimal(1), Decimal(3)]),
])
def test_names_paths_indexes_and_filters(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("0.1 + 0.2", Decimal("0.3")),
    ("ratio + 0.2", Decimal("0.3")),  # a float operand goes through its repr
    ("0.1 + 0.2 = 0.3", True),
    ("1 + 2 * 3", Decimal("7")),
    ("(1 + 2) * 3", Decimal("9")),
    ("10 - 4 - 3", Decimal("3")),
    ("amount + 1", Decimal("1501")),  # ints from the context still give a Decimal
    ("amount - amount", Decimal("0")),
    ("price * 2", Decimal("25.00")),
    ("1 / 3", Decimal("0.3333333333333333333333333333333333")),
    ("7 / 2", Decimal("3.5")),
    ("2 ** 10", Decimal("1024")),
    ("2 ** -1", Decimal("0.5")),
    ("-2 ** 2", Decimal("-4")),
    ("2 ** 3 ** 2", Decimal("512")),
    ("-(1 - 3)", Decimal("2")),
    ('"a" + "b"', "ab"),
    ('name + "!"', "Kermit!"),
])
def test_arithmetic(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text", [
    "1 + null",
    "null * 2",
    "-null",
    "nothing + 1",
    "unknown - 1",
    "1 / 0",
    "1 / (2 - 2)",
    '"a" + 1',
    '1 + "a"',
    '"a" * 2',
    "true + 1",
    "[1] + [2]",
    "(-1) ** 0.5",
    "10 ** 99999999",
    "10 ** 6145",  # beyond decimal128
    "-\"a\"",
    "-huge",  # beyond decimal128: overflows rather than raising
])
def test_arithmetic_with_null_or_mismatched_operands_is_null(text):
    assert value_of(text) is None


@pytest.mark.parametrize("text, expected", [
    ("1 = 1", True),
    ("amount = 1500.0", True),  # numbers compare by value across int, float and Decimal
    ("price = 12.5", True),
    ("ratio = 0.1", True),
    ("1 = 2", False),
    ("1 != 2", True),
    ('"a" = "a"', True),
    ('"a" != "b"', True),
    ("true = true", True),
    ("flag = 1", False),  # true is no number
    ("1 = true", False),
    ('1 = "1"', False),
    ('1 != "1"', True),
    ("null = null", True),
    ("nothing = null", True),
    ("unknown = null", True),
    ("1 = null", False),
    ("null != 1", True),
    ("[1, 2] = [1, 2]", True),
    ("[1, 2] = [2, 1]", False),
    ("{a: 1} = {a: 1.0}", True),
    ("1 < 2", True),
    ("2 <= 2", True),
    ("3 > 2.5", True),
    ("3 >= 4", False),
    ("amount > limit", True),
    ('"apple" < "banana"', True),
    ('"b" >= "a"', True),
    ("day = date(\"2024-01-31\")", True),
    ("day < date(\"2024-02-01\")", True),
    ("moment > date and time(\"2024-01-31T09:00:00Z\")", True),
    ("moment = date and time(\"2024-01-31T11:00:00+01:00\")", True),  # the same instant
    ("local < date and time(\"2024-01-31T11:00:00\")", True),
    # A date against a date-time compares the date-time's calendar day.
    ("moment = date(\"2024-01-31\")", True),
    ("moment < date(\"2024-02-01\")", True),
    ("moment > date(\"2024-01-31\")", False),
    ("one_hour < duration(\"PT61M\")", True),
    ("one_hour = duration(\"PT3600S\")", True),
])
def test_comparisons(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text", [
    "1 < null",
    "null > 1",
    "null <= null",
    'unknown < 10',
    '1 < "2"',
    '"a" > 1',
    "true < false",
    "flag > 0",
    "[1] < [2]",
    "moment < local",  # an absolute time against a local one
    "day < one_hour",
    "1 < day",
])
def test_ordering_incomparable_values_is_null(text):
    assert value_of(text) is None


@pytest.mark.parametrize("text, expected", [
    ("true and true", True),
    ("true and false", False),
    ("false and null", False),
    ("null and false", False),
    ("true and null", None),
    ("null and null", None),
    ('true and "yes"', None),  # not a boolean counts as null
    ("true or false", True),
    ("false or false", False),
    ("true or null", True),
    ("null or true", True),
    ("false or null", None),
    ("1 or false", None),
    ("true and true and false", False),
    ("false or false or true", True),
    ("false and true or true", True),  # and binds tighter
    ("not(true)", False),
    ("not(false)", True),
    ("not(null)", None),
    ("not(1)", None),
    ("not(amount > 1000)", False),
])
def test_three_valued_logic(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, expected", [
    ('if amount > 1000 then "big" else "small"', "big"),
    ('if amount > 5000 then "big" else "small"', "small"),
    ('if null then "yes" else "no"', "no"),  # only true takes the then branch
    ('if 1 then "yes" else "no"', "no"),
    ('if flag then if amount > 1 then 1 else 2 else 3', Decimal(1)),
    ("amount between 1000 and 2000", True),
    ("amount between 1500 and 1500", True),
    ("amount between 1501 and 2000", False),
    ("amount between 0 and 10 or true", True),
    ('"b" between "a" and "c"', True),
    ("null between 1 and 2", None),
    ("amount between 1000 and 2000 and flag", True),
    ("amount between 1000 and 2000 and false", False),
    ("5 in [1..5]", True),
    ("5 in [1..5)", False),
    ("5 in (5..9]", False),
    ("5 in ]1..5[", False),
    ("3 in ]1..5[", True),
    ('"b" in ("a", "b")', True),
    ('"c" in ("a", "b")', False),
    ("amount in < 2000", True),
    ("amount in > 2000", False),
    ("amount in (< 10, > 1000)", True),
    ("3 in [1, 2, 3]", True),
    ("4 in [1, 2, 3]", False),
    ("amount in (1500)", True),
    ("1 in 2 or true", True),  # (1 in 2) or true
    ("null in [1..5]", False),
    ("day in [date(\"2024-01-01\")..date(\"2024-12-31\")]", True),
])
def test_conditionals_between_and_in(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, expected", [
    ('date("2024-01-31")', datetime.date(2024, 1, 31)),
    ("date(moment)", datetime.date(2024, 1, 31)),
    ("date(day)", datetime.date(2024, 1, 31)),
    ('date and time("2024-01-31T10:00:00")', datetime.datetime(2024, 1, 31, 10)),
    ('date and time("2024-01-31T10:00:00Z")', datetime.datetime(2024, 1, 31, 10, tzinfo=UTC)),
    ('date and time("2024-01-31T10:00:00.5+01:00")', datetime.datetime(2024, 1, 31, 10, 0, 0, 500000, WARSAW_WINTER)),
    ('date and time("2024-01-31")', datetime.datetime(2024, 1, 31)),
    ("date and time(day)", datetime.datetime(2024, 1, 31)),
    ('date  and\ttime("2024-01-31T10:00:00")', datetime.datetime(2024, 1, 31, 10)),
    ('duration("P1D")', datetime.timedelta(days=1)),
    ('duration("PT2H")', datetime.timedelta(hours=2)),
    ('duration("P1DT2H30M1.5S")', datetime.timedelta(days=1, hours=2, minutes=30, seconds=1.5)),
    ('duration("-PT15M")', datetime.timedelta(minutes=-15)),
    ('date("2024-01-31") + duration("P1D")', datetime.date(2024, 2, 1)),
    ('duration("P1D") + day', datetime.date(2024, 2, 1)),
    ('day - duration("P31D")', datetime.date(2023, 12, 31)),
    ("moment + one_hour", datetime.datetime(2024, 1, 31, 11, tzinfo=UTC)),
    ('moment - date and time("2024-01-30T10:00:00Z")', datetime.timedelta(days=1)),
    ('day - date("2024-01-01")', datetime.timedelta(days=30)),
    ("one_hour + one_hour", datetime.timedelta(hours=2)),
    ("-one_hour", datetime.timedelta(hours=-1)),
    ("string(1.50)", "1.50"),
    ("string(0.1 + 0.2)", "0.3"),
    ("string(amount)", "1500"),
    ("string(true)", "true"),
    ('string("x")', "x"),
    ("string(day)", "2024-01-31"),
    ("string(moment)", "2024-01-31T10:00:00+00:00"),
    ('string(duration("P1DT2H30M1.5S"))', "P1DT2H30M1.5S"),
    ("string(-one_hour)", "-PT1H"),
    ('string([1, "a", null])', '[1, "a", null]'),
    ("string(10 ** 3)", "1000"),
    ("string(huge)", "1E+999999999"),  # not a billion digits
    ('number("1.5")', Decimal("1.5")),
    ('number("-2e3")', Decimal("-2E+3")),
    ('string length("Kermit")', Decimal(6)),
    ('string length("")', Decimal(0)),
    ('upper case("abc")', "ABC"),
    ('lower case(name)', "kermit"),
    ('substring("foobar", 3)', "obar"),
    ('substring("foobar", 3, 3)', "oba"),
    ('substring("foobar", -2)', "ar"),
    ('substring("foobar", -3, 2)', "ba"),
    ('substring("foobar", 1, 0)', ""),
    ('contains("foobar", "oba")', True),
    ('contains("foobar", "x")', False),
    ('starts with(name, "Ker")', True),
    ('starts with(name, "ker")', False),
    ('ends with(name, "mit")', True),
    ("abs(-2.5)", Decimal("2.5")),
    ("abs(amount)", Decimal(1500)),
    ("floor(1.5)", Decimal(1)),
    ("floor(-1.5)", Decimal(-2)),
    ("ceiling(1.2)", Decimal(2)),
    ("ceiling(-1.2)", Decimal(-1)),
    ("decimal(1.125, 2)", Decimal("1.12")),  # half to even
    ("decimal(1.135, 2)", Decimal("1.14")),
    ("decimal(price, 0)", Decimal("12")),
    ("min([3, 1, 2])", Decimal(1)),
    ("min(3, 1, 2)", Decimal(1)),
    ('max("a", "c", "b")', "c"),
    ("max(numbers)", 5),
    ("min([])", None),
    ("sum(numbers)", Decimal(15)),
    ("sum([0.1, 0.2])", Decimal("0.3")),
    ("sum(1, 2)", Decimal(3)),
    ("count(numbers)", Decimal(5)),
    ("count([])", Decimal(0)),
    ("mean(numbers)", Decimal(3)),
    ("mean([1, 2])", Decimal("1.5")),
    ("list contains(numbers, 3.0)", True),
    ("list contains(numbers, 6)", False),
    ("list contains([null], null)", True),
    ("is defined(amount)", True),
    ("is defined(nothing)", True),  # present, though null
    ("is defined(unknown)", False),
    ("is defined(order.total)", True),
    ("is defined(order.missing)", False),
    ("is defined(unknown.total)", False),
    ("is defined(1)", True),
])
def test_builtin_functions(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text", [
    "date(1)",
    "date(null)",
    "date and time(true)",
    "duration(1)",
    "number(1)",
    "string(null)",
    "string length(1)",
    "upper case(null)",
    'substring(1, 1)',
    'substring("abc", "1")',
    'substring("abc", 0)',
    'substring("abc", 1.5)',
    'substring("abc", 1, -1)',
    'contains("abc", 1)',
    "starts with(null, \"a\")",
    'abs("1")',
    "abs(huge)",
    "floor(null)",
    "decimal(1, 0.5)",
    "decimal(1, 99999)",
    "min(1, \"a\")",
    "sum([1, \"a\"])",
    "sum([])",
    "mean([])",
    "count(1)",
    "list contains(1, 1)",
    # Huge positions are out of range at once, never converted to a Python int (for huge, a
    # context value of 1E+999999999, that would not finish).
    "numbers[10 ** 6000]",
    "numbers[huge]",
    'substring("abc", huge)',
    "decimal(1, -huge)",
])
def test_builtin_functions_give_null_for_wrong_argument_types(text):
    assert value_of(text) is None


@pytest.mark.parametrize("text, fragment", [
    ('date("2024-13-01")', "date() cannot read '2024-13-01'"),
    ('date("31.01.2024")', "date() expects yyyy-mm-dd"),
    ('date and time("2024-01-31 10:00")', "date and time() expects"),
    ('date and time("2024-01-31T25:00:00")', "date and time() cannot read"),
    ('duration("P1Y")', "days-and-time durations only"),
    ('duration("P2M")', "days-and-time durations only"),
    ('duration("PT")', "expects an ISO 8601 duration"),
    ('duration("1 day")', "expects an ISO 8601 duration"),
    ('duration("P9999999999D")', "cannot represent"),
    ('number("1,5")', "number() expects"),
    ('number("1e999999999")', "beyond the range of a FEEL number"),
])
def test_unreadable_text_in_conversions_is_an_evaluation_error(text, fragment):
    with pytest.raises(FeelEvaluationError) as caught:
        value_of(text)
    assert fragment in str(caught.value)
    assert caught.value.text == text


@pytest.mark.parametrize("text, expected", [
    # "and" is the operator next to the function names that contain it.
    ('date and time("2024-01-31T10:00:00Z") = moment and true', True),
    ('flag and date and time("2024-01-31T10:00:00Z") < moment', False),
    ("flag and date(moment) = day", True),
    # Multi-word names are function names only right before "(".
    ("{string: 1}.string", Decimal(1)),
    ('starts with("abc", "a") and ends with("abc", "c")', True),
    ("upper case(lower case(\"Ab\"))", "AB"),
])
def test_multi_word_function_names(text, expected):
    assert_value(text, expected)


def test_words_of_function_names_without_a_bracket_are_names_and_operators():
    assert evaluate("date and time", {"date": True, "time": False}) is False
    with pytest.raises(FeelSyntaxError, match="unexpected 'length' at column 8"):
        compile_expression("string length")  # two names in a row


# --- unary tests ---

@pytest.mark.parametrize("tests, value, expected", [
    ("-", None, True),
    ("-", 5, True),
    ("", "anything", True),
    ("  ", None, True),
    ("5", 5, True),
    ("5", 5.0, True),
    ("5", Decimal("5.00"), True),
    ("5", 6, False),
    ("5", "5", False),
    ("5", None, False),
    ('"PL"', "PL", True),
    ('"PL"', "pl", False),
    ('"PL", "DE"', "DE", True),
    ('"PL", "DE"', "FR", False),
    ("true", True, True),
    ("true", False, False),
    ("true", None, False),
    ("false", False, True),
    ("null", None, True),
    ("null", 0, False),
    ("< 10", 9, True),
    ("< 10", 10, False),
    ("<= 10", 10, True),
    ("> 10", 10.5, True),
    (">= 10", 9.99, False),
    ("< 10", None, False),
    ("< 10", "5", False),  # incomparable: no match, no error
    ("< 10, > 20", 25, True),
    ("< 10, > 20", 15, False),
    ("!= 10", 11, True),
    ("< limit", 9, True),
    ("< limit", 10, False),
    ("< unknown", 1, False),
    ("< limit * 2", 15, True),
    ('< date("2024-02-01")', datetime.date(2024, 1, 31), True),
    ('< date("2024-02-01")', datetime.datetime(2024, 1, 31, 23, 59, tzinfo=UTC), True),
    ('>= date and time("2024-01-31T10:00:00Z")', datetime.datetime(2024, 1, 31, 10, 59, tzinfo=WARSAW_WINTER), False),
    ('>= date and time("2024-01-31T10:00:00Z")', datetime.datetime(2024, 1, 31, 11, tzinfo=WARSAW_WINTER), True),
    ("[1..5]", 1, True),
    ("[1..5]", 5, True),
    ("[1..5]", 5.5, False),
    ("(1..5)", 1, False),
    ("(1..5)", 4.99, True),
    ("(1..5)", 5, False),
    ("]1..5[", 1, False),
    ("]1..5[", 5, False),
    ("]1..5[", 3, True),
    ("[1..5)", 1, True),
    ("[1..5)", 5, False),
    ("[1..5[", 5, False),
    ("[1..5[", 4, True),
    ("(1..5]", 5, True),
    ("]1..5]", 1, False),
    ("[-5..-1]", -3, True),
    ("[1..limit]", 10, True),
    ("[limit - 5..limit]", 5, True),
    ("[1..(limit + 5)]", 15, True),  # the upper endpoint is a simple value, or in brackets
    ("[order.total..order.total]", 99, True),
    ('["a".."c"]', "b", True),
    ('[date("2024-01-01")..date("2024-01-31")]', datetime.date(2024, 1, 31), True),
    ('[date("2024-01-01")..date("2024-01-31"))', datetime.date(2024, 1, 31), False),
    ("[1..5]", None, False),
    ("[1..5]", "3", False),
    ("[1..5], [10..20]", 15, True),
    ("< 0, [1..5], 7", 7, True),
    ("[1, 2, 3]", 2, True),  # a list: the value is one of its elements
    ("[1, 2, 3]", 4, False),
    ("numbers", 3, True),
    ("numbers", 6, False),
    ("limit", 10, True),
    ("limit", 11, False),
    ("unknown", None, True),  # an absent name is null, which the null value equals
    # A comparison, logical operator or boolean function is a condition, as `?` is: Camunda's
    # input variable (cellInput by default) is only a name in the context.
    ("cellInput > 5", 6, True),
    ("cellInput > 5", 4, False),
    ("cellInput > 5", None, False),
    ("(cellInput > 5)", 6, True),
    ("cellInput = false", False, True),
    ("cellInput = false", True, False),
    ("cellInput = 1 or cellInput = 3", 3, True),
    ("cellInput between 1 and 3", 2, True),
    ("cellInput in (1, 3)", 2, False),
    ('starts with(cellInput, "PL")', "PL-1", True),
    ('starts with(cellInput, "PL")', None, False),
    ("not(cellInput = 1)", 2, True),
    ("is defined(cellInput)", 2, True),
    ("flag", True, True),  # a boolean variable is a value to compare with
    ("flag", 1, False),
    ("if flag then 1 else 2", 1, True),
    ("if flag then 1 else 2", 2, False),
    ("(1, 2)", 2, True),
    ("not(5)", 6, True),
    ("not(5)", 5, False),
    ('not("PL", "DE")', "FR", True),
    ('not("PL", "DE")', "PL", False),
    ('not("x")', None, True),  # a null value does not match "x", so it matches not("x")
    ("not(< 10)", 10, True),
    ("not(< 10)", 9, False),
    ("not([1..5])", 6, True),
    ("not([1..5])", 3, False),
    ("not(null)", None, False),
    ("not(null)", 1, True),
    ("not( 1 , 2 )", 2, False),
    ("? > 5", 6, True),
    ("? > 5", 5, False),
    ("? > 5", None, False),
    ("? > 5 and ? < 10", 7, True),
    ("? > 5 and ? < 10", 10, False),
    ('starts with(?, "PL")', "PL-123", True),
    ('starts with(?, "PL")', "DE-123", False),
    ('starts with(?, "PL")', None, False),
    ("? = null", None, True),
    ("not(? > 5)", 3, True),
    ("? + 1 = 3", 2, True),
    ("count(?) > 1", [1, 2], True),
    ("list contains(?, 3)", [1, 2, 3], True),
    ("?[item > 2] = [3]", [1, 2, 3], True),
    ("? in [1..3]", 2, True),
    ("? in [1..3]", 4, False),
    ("< ? + 1", 1, True),
])
def test_unary_tests(tests, value, expected):
    assert matches(tests, value, cellInput=value) is expected


def test_unary_tests_see_the_context_given_with_each_value():
    tests = compile_unary_tests("< limit, ? = other")
    assert tests.matches(5, {"limit": 10}) is True
    assert tests.matches(5, {"limit": 3}) is False
    assert tests.matches(5, {"limit": 3, "other": 5}) is True


def test_expressions_are_compiled_once_and_evaluated_many_times():
    expression = compile_expression("amount * 2")
    assert isinstance(expression, Expression)
    assert compile_expression("amount * 2") is expression
    assert expression.evaluate({"amount": 2}) == 4
    assert expression.evaluate({"amount": Decimal("0.5")}) == 1
    tests = compile_unary_tests("[1..5]")
    assert isinstance(tests, UnaryTests)
    assert compile_unary_tests("[1..5]") is tests
    assert [tests.matches(value, {}) for value in (0, 1, 5, 6)] == [False, True, True, False]


# --- errors ---

@pytest.mark.parametrize("text, fragment", [
    ("(1 + 2", "unexpected end of text at column 7"),
    ("1 + 2)", "unexpected ')' at column 6"),
    ("[1, 2", "unexpected end of text"),
    ("{a: 1", "unexpected end of text"),
    ("1 +", "unexpected end of text at column 4"),
    ("1 +\n(2", "unexpected end of text at line 2, column 3"),
    ("a b", "unexpected 'b' at column 3"),
    ("1 < 2 < 3", "unexpected '<' at column 7"),
    ("1 # 2", "unexpected character '#' at column 3"),
    ('"open', "unexpected character '\"' at column 1"),
    ("1..2", "unexpected '..'"),
    ("[1..5]", "unexpected '..'"),  # ranges only in unary tests and after `in`
    ("< 5", "unexpected '<' at column 1"),
    ("if true then 1", "unexpected end of text"),
    ("", "the text is empty"),
    ("   ", "the text is empty"),
    ('"a\\q"', "unknown escape '\\q' in a string at column 3"),
    ('"\\ud83d"', "half of a \\u surrogate pair"),
    ("?", "'?' (the tested value) is only allowed in unary tests at column 1"),
    ("foo(1)", "unknown function foo() at column 1"),
    ("date and time and x(1)", "unknown function x() at column 19"),
    ('string  length("a", "b")', "string length() takes 1 argument(s), not 2 at column 1"),
    ("substring(\"a\")", "substring() takes 2 or 3 argument(s), not 1"),
    ("min()", "min() takes at least 1 argument(s), not 0"),
    ("is defined(a, b)", "is defined() takes 1 argument(s), not 2"),
    ("x" * (MAX_TEXT_LENGTH + 1), f"at most {MAX_TEXT_LENGTH} are allowed"),
    ("(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1), f"nested more than {MAX_NESTING} levels deep"),
    ("[" * 3000 + "]" * 3000, f"nested more than {MAX_NESTING} levels deep"),
    ("- " * 3000 + "1", f"nested more than {MAX_NESTING} levels deep"),
    ("not(" * 1000 + "true" + ")" * 1000, f"nested more than {MAX_NESTING} levels deep"),
    ("a" + ".b" * 3000, f"nested more than {MAX_NESTING} levels deep"),
    ("is defined(a" + ".b" * 3000 + ")", f"nested more than {MAX_NESTING} levels deep"),
    ("(" * 5000, "unexpected end of text"),
])
def test_syntax_errors(text, fragment):
    with pytest.raises(FeelSyntaxError) as caught:
        compile_expression(text)
    assert fragment in caught.value.reason
    assert caught.value.text == text


@pytest.mark.parametrize("tests, fragment", [
    ("[1..5", "unexpected end of text"),
    ("[1..5}", "unexpected '}'"),
    ("1..5", "unexpected '..'"),
    ("<", "unexpected end of text"),
    ("< 5,", "unexpected end of text"),
    ("not(1", "unexpected end of text"),
    ("not(1), 2", "unexpected ','"),
    ("- 5 -", "unexpected end of text"),
    ("bar(?)", "unknown function bar()"),
    ("[1..5" + "]" * 5, "unexpected ']' at column 7"),
    ("[1..limit + 5]", "unexpected '+' at column 11"),
    ("(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1), f"nested more than {MAX_NESTING} levels deep"),
    ("-" * (MAX_TEXT_LENGTH + 1), f"at most {MAX_TEXT_LENGTH} are allowed"),
])
def test_unary_test_syntax_errors(tests, fragment):
    with pytest.raises(FeelSyntaxError) as caught:
        compile_unary_tests(tests)
    assert fragment in caught.value.reason
    assert caught.value.text == tests


def test_nesting_up_to_the_limit_is_allowed():
    depth = MAX_NESTING // 2
    assert evaluate("(" * depth + "1" + ")" * depth, {}) == 1
    assert evaluate("-" * depth + "1", {}) == (-1) ** depth


@pytest.mark.parametrize("text", [
    '__import__("os")',
    '__import__("os").system("true")',
    "eval(\"1\")",
    "exec(\"1\")",
    "open(\"/etc/passwd\")",
    "getattr(name, \"upper\")",
    "name.__class__",
    "1 .__class__",
    "[].__class__.__base__",
])
def test_no_text_reaches_python(text):
    # Either a syntax error (unknown function, no such syntax) or a plain context lookup that
    # finds nothing: FEEL paths read dictionary keys, never attributes.
    try:
        result = evaluate(text, CONTEXT)
    except FeelSyntaxError as error:
        assert "unknown function" in error.reason or "unexpected" in error.reason
    else:
        assert result in (None, [])


def test_errors_are_feel_errors_and_name_the_text():
    assert issubclass(FeelSyntaxError, FeelError) and issubclass(FeelEvaluationError, FeelError)
    with pytest.raises(FeelEvaluationError) as caught:
        compile_unary_tests('< date("someday")').matches(1, {})
    assert str(caught.value) == (
        "Cannot evaluate FEEL < date(\"someday\"): date() expects yyyy-mm-dd, not 'someday'")
    with pytest.raises(FeelSyntaxError) as caught:
        compile_expression("1 +")
    assert str(caught.value).startswith("Syntax error in FEEL 1 +: unexpected end of text")


def test_a_non_text_is_a_type_error():
    with pytest.raises(TypeError):
        compile_expression(1)
    with pytest.raises(TypeError):
        compile_unary_tests(None)
