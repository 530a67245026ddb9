"""The JUEL evaluator, one table per operator or method family. Expected values follow the EL 2.2
specification (and Camunda 7, which evaluates with JUEL); each table mixes cases that a naive
Python translation would get wrong (integer division, string concatenation with +, Python's
negative modulo and negative indexes, truthiness instead of EL coercion)."""

import datetime

import pytest

from bpms.engine.juel import (
    Context, ExecutionFacade, JuelError, JuelEvaluationError, JuelSyntaxError, UnknownVariable,
    compile_expression, evaluate, is_expression,
)

VARIABLES = {
    "amount": 1500,
    "amountText": "1500",
    "approved": True,
    "name": "Kermit",
    "nothing": None,
    "ratio": 1.5,
    "order": {"price": 12.5, "customer": {"name": "Piggy"}, "tags": ["vip"]},
    "order2": {"price": 12.5, "customer": {"name": "Piggy"}, "tags": ["vip"]},
    "orders": [{"price": 1}, {"price": 2}],
    "tags": ["vip", "new"],
    "numbers": [1, 2, 3],
    "map": {"key": "value", "with space": 1},
    "noItems": [],
    "noEntries": {},
    "loopCounter": 0,
}


def value_of(text, **variables):
    return evaluate(text, Context({**VARIABLES, **variables}))


def assert_value(text, expected):
    result = value_of(text)
    assert result == expected
    assert type(result) is type(expected), f"{text} gave {result!r} of type {type(result).__name__}"


def assert_fails(text, error_class, fragment):
    with pytest.raises(error_class) as caught:
        value_of(text)
    assert fragment in str(caught.value)
    assert caught.value.expression == text
    return caught.value


@pytest.mark.parametrize("text, expected", [
    ("${true}", True),
    ("${false}", False),
    ("${null}", None),
    ("${42}", 42),
    ("${1.5}", 1.5),
    ("${1e3}", 1000.0),
    ("${.5}", 0.5),
    ("${'single'}", "single"),
    ('${"double"}', "double"),
    (r"${'it\'s'}", "it's"),
    (r'${"say \"hi\""}', 'say "hi"'),
    ('${"it\'s"}', "it's"),
    (r"${'back\\slash'}", "back\\slash"),
    (r"${'a\nb'}", "a\\nb"),  # EL knows only \' \" \\ as escapes
    ("${'}'}", "}"),
])
def test_literals(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("${amount}", 1500),
    ("${nothing}", None),
    ("${order.price}", 12.5),
    ("${order.customer.name}", "Piggy"),
    ("${order['tags'][0]}", "vip"),
    ("${orders[1].price}", 2),
    ("${orders['1'].price}", 2),
    ("${map['key']}", "value"),
    ('${map["with space"]}', 1),
    ("${order.missing}", None),
    ("${nothing.price}", None),
    ("${map[nothing]}", None),
    ("${orders[5]}", None),
    ("${orders[-1]}", None),  # no Python wrap-around
    ("${order['__class__']}", None),  # a map key, never an attribute
])
def test_variables_and_property_access(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, fragment", [
    ("${order.price.amount}", "cannot read property 'amount' of a Double"),
    ("${name['__class__']}", "cannot read property '__class__' of a String"),
    ("${orders.first}", "a List index must be a number, not 'first'"),
    ("${map[orders]}", "a List cannot be used as a map key"),
])
def test_property_access_errors(text, fragment):
    assert_fails(text, JuelEvaluationError, fragment)


def test_an_unknown_variable_is_named_with_the_expression():
    error = assert_fails("${x > 1}", UnknownVariable, "")
    assert error.name == "x"
    assert str(error) == "Unknown property used in expression: ${x > 1}. Cannot resolve identifier 'x'"


@pytest.mark.parametrize("text, expected", [
    ("${1 == 1.0}", True),
    ("${'a' == 'a'}", True),
    ("${'a' eq 'b'}", False),
    ("${null == null}", True),
    ("${nothing == null}", True),
    ("${null == 0}", False),
    ("${'1' == 1}", True),
    ("${'' == 0}", True),
    ("${amountText == 1500}", True),
    ("${'1.5' == 1.5}", True),
    ("${'true' == true}", True),
    ("${'TRUE' eq true}", True),
    ("${'yes' == true}", False),
    ("${order == order2}", True),
    ("${1 != 2}", True),
    ("${1 ne 1}", False),
    ("${'a' != 'a'}", False),
])
def test_equality(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, fragment", [
    ("${'abc' == 1}", "cannot coerce 'abc' (String) to Long"),
    ("${'1.5' == 1}", "cannot coerce '1.5' (String) to Long"),
    ("${1 == true}", "cannot coerce true (Boolean) to Long"),
])
def test_equality_errors(text, fragment):
    assert_fails(text, JuelEvaluationError, fragment)


@pytest.mark.parametrize("text, expected", [
    ("${1 < 2}", True),
    ("${2 lt 1}", False),
    ("${2 > 1}", True),
    ("${1 gt 1}", False),
    ("${1 <= 1}", True),
    ("${2 le 1}", False),
    ("${1 >= 1}", True),
    ("${0 ge 1}", False),
    ("${ratio > 1}", True),
    ("${'10' > 9}", True),  # a number on one side: both compared as numbers
    ("${'10' < '9'}", True),  # two strings: compared as text
    ("${'b' > 'a'}", True),
    ("${amountText > 1000}", True),
    ("${null < 1}", False),
    ("${null > 1}", False),
    ("${1 >= null}", False),
    ("${null >= null}", True),
    ("${null < null}", False),
    ("${true > false}", True),
])
def test_relational(text, expected):
    assert_value(text, expected)


def test_dates_compare_in_time_order():
    earlier, later = datetime.datetime(2026, 1, 1), datetime.datetime(2026, 6, 1)
    assert evaluate("${due < now}", Context({"due": earlier, "now": later})) is True
    with pytest.raises(JuelEvaluationError, match=r"\$\{due < now\}"):
        evaluate("${due < now}", Context({"due": earlier, "now": later.replace(tzinfo=datetime.timezone.utc)}))


@pytest.mark.parametrize("text, fragment", [
    ("${'abc' < 1}", "cannot coerce 'abc' (String) to Long"),
    ("${order < 1}", "(Map) to Long"),
    ("${order < order2}", "cannot compare Map with Map"),
    ("${true < 1}", "cannot coerce true (Boolean) to Long"),
])
def test_relational_errors(text, fragment):
    assert_fails(text, JuelEvaluationError, fragment)


@pytest.mark.parametrize("text, expected", [
    ("${true && true}", True),
    ("${true and false}", False),
    ("${false || true}", True),
    ("${false or false}", False),
    ("${!true}", False),
    ("${not false}", True),
    ("${!null}", True),
    ("${'true' && approved}", True),
    ("${'' || nothing}", False),
    ("${amount > 1000 && approved}", True),
    ("${approved && approved && !approved}", False),
    ("${false || false || approved}", True),
    ("${true || false && false}", True),  # && binds tighter
    ("${false && missing}", False),  # short-circuit: missing is never resolved
    ("${true || missing}", True),
    ("${false and missing.x}", False),
    ("${not approved == false}", True),  # not binds tighter than ==
])
def test_logical(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, error_class, fragment", [
    ("${amount && true}", JuelEvaluationError, "cannot coerce 1500 (Long) to Boolean"),
    ("${!order}", JuelEvaluationError, "(Map) to Boolean"),
    ("${true && missing}", UnknownVariable, "Cannot resolve identifier 'missing'"),
])
def test_logical_errors(text, error_class, fragment):
    assert_fails(text, error_class, fragment)


@pytest.mark.parametrize("text, expected", [
    ("${2 + 3}", 5),
    ("${2 - 5}", -3),
    ("${4 * 2.5}", 10.0),
    ("${1.5 + 1.5}", 3.0),
    ("${1 + 2 * 3}", 7),
    ("${(1 + 2) * 3}", 9),
    ("${10 - 2 - 3}", 5),
    ("${-2 * -3}", 6),
    ("${null + null}", 0),
    ("${nothing + 1}", 1),
    ("${'2' + 3}", 5),  # + is never concatenation in EL
    ("${amountText + 1}", 1501),
    ("${'1.5' + 1}", 2.5),
    ("${'1e3' * 1}", 1000.0),
    ("${'' + 1}", 1),
    ("${1 + 2 == 3}", True),
])
def test_arithmetic(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, fragment", [
    ("${'abc' + 1}", "cannot coerce 'abc' (String) to Long"),
    ("${'a' + 'b'}", "cannot coerce 'a' (String) to Long"),
    ("${true + 1}", "cannot coerce true (Boolean) to Long"),
    ("${order * 2}", "(Map) to Long"),
])
def test_arithmetic_errors(text, fragment):
    assert_fails(text, JuelEvaluationError, fragment)


@pytest.mark.parametrize("text, expected", [
    ("${7 / 2}", 3.5),
    ("${7 div 2}", 3.5),
    ("${4 / 2}", 2.0),  # / always gives a decimal
    ("${2 * 3 / 4}", 1.5),
    ("${'9' / 3}", 3.0),
    ("${null / null}", 0),
    ("${7 % 3}", 1),
    ("${7 mod 3}", 1),
    ("${-7 % 3}", -1),  # Java keeps the dividend's sign; Python would say 2
    ("${7 % -3}", 1),
    ("${7.5 % 2}", 1.5),
    ("${-7.5 mod 2}", -1.5),
    ("${null % null}", 0),
])
def test_division_and_modulo(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text", ["${1 / 0}", "${1 div 0.0}", "${1 % 0}", "${1.5 mod 0}", "${amount / nothing}"])
def test_division_by_zero_is_an_error_not_infinity(text):
    assert_fails(text, JuelEvaluationError, "division by zero")


@pytest.mark.parametrize("text, expected", [
    ("${-5}", -5),
    ("${- -5}", 5),
    ("${-ratio}", -1.5),
    ("${-'2'}", -2),
    ("${-'2.5'}", -2.5),
    ("${-null}", 0),
    ("${empty null}", True),
    ("${empty ''}", True),
    ("${empty 'a'}", False),
    ("${empty noItems}", True),
    ("${empty noEntries}", True),
    ("${empty orders}", False),
    ("${empty 0}", False),
    ("${empty order.missing}", True),
    ("${not empty tags}", True),
    ("${!empty name}", True),
])
def test_unary_minus_and_empty(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, fragment", [
    ("${-true}", "cannot coerce true (Boolean) to a number"),
    ("${-'abc'}", "cannot coerce 'abc' (String) to Long"),
])
def test_unary_minus_errors(text, fragment):
    assert_fails(text, JuelEvaluationError, fragment)


@pytest.mark.parametrize("text, expected", [
    ("${true ? 'a' : 'b'}", "a"),
    ("${false ? 'a' : 'b'}", "b"),
    ("${amount > 1000 ? 'big' : 'small'}", "big"),
    ("${false ? 1 : true ? 2 : 3}", 2),
    ("${'' ? 1 : 2}", 2),
    ("${nothing ? 1 : 2}", 2),
    ("${'TRUE' ? 1 : 2}", 1),
    ("${approved ? 1 : missing}", 1),  # the branch not taken is never evaluated
])
def test_conditional(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("${name.equals('Kermit')}", True),
    ("${'1'.equals(1)}", False),  # Object.equals does not coerce
    ("${name.equalsIgnoreCase('KERMIT')}", True),
    ("${name.equalsIgnoreCase(null)}", False),
    ("${name.contains('erm')}", True),
    ("${name.contains('x')}", False),
    ("${name.startsWith('Ker')}", True),
    ("${name.startsWith('mit')}", False),
    ("${name.endsWith('mit')}", True),
    ("${name.endsWith('Ker')}", False),
    ("${name.substring(1)}", "ermit"),
    ("${name.substring(1, 3)}", "er"),
    ("${name.substring(6)}", ""),
    ("${name.toString()}", "Kermit"),
    ("${name.concat(' the frog')}", "Kermit the frog"),
    ("${name.concat(1)}", "Kermit1"),
    ("${name.length()}", 6),
    ("${name.size()}", 6),
    ("${name.isEmpty()}", False),
    ("${''.isEmpty()}", True),
    ("${name.toUpperCase()}", "KERMIT"),
    ("${name.toLowerCase()}", "kermit"),
    ("${' \tx \n'.trim()}", "x"),
    ("${name.indexOf('m')}", 3),
    ("${name.indexOf('z')}", -1),
    ("${name.substring(0, 3).toUpperCase().concat('!')}", "KER!"),
])
def test_string_methods(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("${amount.toString()}", "1500"),
    ("${(7 / 2).toString()}", "3.5"),
    ("${(4 / 2).toString()}", "2.0"),
    ("${approved.toString()}", "true"),
    ("${amount.equals(1500)}", True),
    ("${amount.equals(1500.0)}", False),
    ("${orders.toString()}", "[{price=1}, {price=2}]"),
    ("${orders.size()}", 2),
    ("${noItems.isEmpty()}", True),
    ("${tags.contains('vip')}", True),
    ("${tags.contains('x')}", False),
    ("${numbers.contains(2)}", True),
    ("${numbers.contains(2.0)}", False),  # List.contains uses equals: Long 2 is not Double 2.0
    ("${tags.indexOf('new')}", 1),
    ("${tags.indexOf('x')}", -1),
    ("${tags.get(1)}", "new"),
    ("${orders.get('1').price}", 2),
    ("${map.get('key')}", "value"),
    ("${map.get('nope')}", None),
    ("${map.containsKey('key')}", True),
    ("${map.containsKey('nope')}", False),
    ("${map.size()}", 2),
    ("${map.isEmpty()}", False),
    ("${noEntries.isEmpty()}", True),
])
def test_number_list_and_map_methods(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, fragment", [
    ("${name.getClass()}", "method 'getClass' is not allowed on String (allowed: concat, contains,"),
    ("${name.replace('a', 'b')}", "method 'replace' is not allowed on String"),
    ("${amount.length()}", "method 'length' is not allowed on Long"),
    ("${map.keySet()}", "method 'keySet' is not allowed on Map"),
    ("${orders.clear()}", "method 'clear' is not allowed on List"),
    ("${nothing.length()}", "cannot call method 'length' on null"),
    ("${name.substring(4, 2)}", "substring(4, 2) is out of range for a text of length 6"),
    ("${name.substring(1, 2, 3)}", "method 'substring' of String takes 1 or 2 argument(s), not 3"),
    ("${name.length(1)}", "takes 0 argument(s), not 1"),
    ("${name.contains(null)}", "the argument of contains() must not be null"),
    ("${tags.get(5)}", "get(5) is out of range for a List of size 2"),
])
def test_method_errors(text, fragment):
    assert_fails(text, JuelEvaluationError, fragment)


@pytest.fixture
def execution_context():
    variables = {"x": 1}
    execution = ExecutionFacade(variables, id="exec-1", process_instance_id="pi-1", business_key="BK-7",
                                activity_id="review")
    return variables, Context(execution=execution)


@pytest.mark.parametrize("text, expected", [
    ("${execution.getVariable('x')}", 1),
    ("${execution.getVariable('missing')}", None),
    ("${execution.hasVariable('x')}", True),
    ("${execution.hasVariable('missing')}", False),
    ("${execution.id}", "exec-1"),
    ("${execution.getId()}", "exec-1"),
    ("${execution.processInstanceId}", "pi-1"),
    ("${execution.getProcessInstanceId()}", "pi-1"),
    ("${execution.businessKey}", "BK-7"),
    ("${execution.getBusinessKey()}", "BK-7"),
    ("${execution.activityId}", "review"),
    ("${execution.getCurrentActivityId()}", "review"),
    ("${execution.getVariables()}", {"x": 1}),
    ("${execution.variables.x}", 1),
    ("${x}", 1),  # the context sees the execution's variables
    ("order-${execution.businessKey}", "order-BK-7"),
])
def test_execution(execution_context, text, expected):
    _, context = execution_context
    assert evaluate(text, context) == expected


def test_execution_set_variable_writes_into_the_given_variables(execution_context):
    variables, context = execution_context
    assert evaluate("${execution.setVariable('y', x + 1)}", context) is None
    assert variables == {"x": 1, "y": 2}
    assert evaluate("${y * 10}", context) == 20


def test_execution_local_variables_go_to_the_local_scope_it_is_given(execution_context):
    variables, context = execution_context
    # without a local scope there is only the process scope, as for a process-level activity
    assert evaluate("${execution.setVariableLocal('y', 2)}", context) is None
    assert evaluate("${execution.getVariableLocal('y')}", context) == 2

    class Scope:
        declared = []

        def declare(self, name):
            self.declared.append(name)

        def names(self):
            return set(self.declared)

    scoped = Context(execution=ExecutionFacade(variables, local_scope=Scope()))
    assert evaluate("${execution.setVariableLocal('z', 3)}", scoped) is None
    assert Scope.declared == ["z"] and variables["z"] == 3
    assert evaluate("${execution.getVariableLocal('z')}", scoped) == 3
    assert evaluate("${execution.getVariableLocal('x')}", scoped) is None   # visible, but not local


def test_execution_get_variables_is_a_copy(execution_context):
    variables, context = execution_context
    assert evaluate("${execution.getVariables()}", context) is not variables


@pytest.mark.parametrize("text, fragment", [
    ("${execution.engine}", "execution has no property 'engine' (available: activityId,"),
    ("${execution.getEngine()}", "method 'getEngine' is not allowed on execution"),
    ("${execution.setVariable(1, 2)}", "a variable name must be a String, not Long"),
    ("${execution.getVariable()}", "method 'getVariable' of execution takes 1 argument(s), not 0"),
])
def test_execution_errors(execution_context, text, fragment):
    _, context = execution_context
    with pytest.raises(JuelEvaluationError) as caught:
        evaluate(text, context)
    assert fragment in str(caught.value)


def test_without_an_execution_the_name_is_an_ordinary_variable():
    assert evaluate("${execution}", Context({"execution": "mine"})) == "mine"
    with pytest.raises(UnknownVariable):
        evaluate("${execution.id}", Context({}))


@pytest.mark.parametrize("text, expected", [
    ("${nrOfCompletedInstances / nrOfInstances >= 0.75}", True),
    ("${nrOfActiveInstances == 1}", True),
    ("reviewer_${loopCounter}", "reviewer_2"),
    ("${loopCounter + 1} of ${nrOfInstances}", "3 of 4"),
])
def test_multi_instance_built_ins_are_variables(text, expected):
    context = Context({"loopCounter": 2, "nrOfInstances": 4, "nrOfCompletedInstances": 3, "nrOfActiveInstances": 1})
    assert evaluate(text, context) == expected


@pytest.mark.parametrize("text, expected", [
    ("kermit_${loopCounter}", "kermit_0"),
    ("Hello ${name}!", "Hello Kermit!"),
    ("#{name}", "Kermit"),
    ("${amount}", 1500),  # a text that is one expression gives the value itself
    (" ${amount} ", " 1500 "),
    ("${nothing}", None),
    ("[${nothing}]", "[]"),
    ("${approved} and ${amount}", "true and 1500"),
    ("${name}${loopCounter}", "Kermit0"),
    ("Total: ${7 / 2}", "Total: 3.5"),
    ("tags: ${tags}", "tags: [vip, new]"),
    ("x${map['key']}y${'}'}", "xvaluey}"),
    ("${10000000.0}!", "1.0E7!"),  # Java's Double.toString
    ("${0.0001}!", "1.0E-4!"),
    ("${123.25}!", "123.25!"),
    ("plain text", "plain text"),
    ("", ""),
    (r"price \${not evaluated}", "price ${not evaluated}"),
    ("costs $5 {net}", "costs $5 {net}"),
])
def test_composite_texts(text, expected):
    assert_value(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("${a}", True),
    ("#{a}", True),
    ("x ${a} y", True),
    ("plain", False),
    ("$ {a}", False),
    ("{a}", False),
    (r"\${a}", False),
    ("", False),
    (None, False),
])
def test_is_expression(text, expected):
    assert is_expression(text) is expected


@pytest.mark.parametrize("text, names", [
    ("${a > 1 && b.c[d]}", {"a", "b", "d"}),
    ("${name.concat(suffix)}", {"name", "suffix"}),
    ("${execution.getVariable('x')}", {"execution"}),
    ("kermit_${loopCounter}", {"loopCounter"}),
    ("plain", set()),
])
def test_variable_names(text, names):
    assert compile_expression(text).variable_names() == names


def test_compiled_expressions_are_cached_by_text():
    assert compile_expression("${amount > 1000}") is compile_expression("${amount > 1000}")
    assert compile_expression("${amount > 1000}") is not compile_expression("${amount > 1001}")


def test_a_context_subclass_decides_what_names_mean():
    class Everything(Context):
        def resolve(self, name):
            return len(name)

    assert evaluate("${abc + de}", Everything()) == 5


@pytest.mark.parametrize("text, fragment", [
    ("${a >}", "unexpected end of expression"),
    ("${a ? b}", "unexpected end of expression"),
    ("${a > > b}", "unexpected '>' at position 7"),
    ("${a @ b}", "unexpected character '@' at position 5"),
    ("${1 +* 2}", "unexpected '*' at position 6"),
    ("${}", "empty expression at position 1"),
    ("Hi ${  }", "empty expression at position 4"),
    ("${a", "the expression opened at position 1 has no closing '}'"),
    ("${'unterminated}", "has no closing '}'"),
    ("${now()}", "functions are not supported: now()"),
    ("${a} #{b}", "${...} and #{...} cannot be mixed in one text"),
    ("${name.__class__}", "names starting with '__' are not allowed: '__class__'"),
    ("${__builtins__}", "names starting with '__' are not allowed"),
    ("${name.__len__()}", "names starting with '__' are not allowed"),
])
def test_syntax_errors(text, fragment):
    with pytest.raises(JuelSyntaxError) as caught:
        compile_expression(text)
    assert fragment in str(caught.value)
    assert caught.value.expression == text


def test_a_syntax_error_message_names_the_expression():
    with pytest.raises(JuelSyntaxError) as caught:
        compile_expression("${a >}")
    assert str(caught.value) == "Syntax error in expression ${a >}: unexpected end of expression"


def test_an_evaluation_error_names_the_whole_text():
    error = assert_fails("Total: ${amount / 0}", JuelEvaluationError, "division by zero")
    assert str(error) == "Cannot evaluate expression Total: ${amount / 0}: division by zero"
    assert isinstance(error, JuelError)


@pytest.mark.parametrize("text", [
    "${" + "(" * 500 + "1" + ")" * 500 + "}",
    "${a" + "[0]" * 30 + "[" * 200 + "0" + "]" * 200 + "}",
    "${" + "-" * 500 + "1}",
    "${" + "!" * 500 + "true}",
    "${" + "true ? " * 500 + "1" + " : 0" * 500 + "}",
])
def test_deep_nesting_is_a_syntax_error_not_a_recursion_error(text):
    with pytest.raises(JuelSyntaxError, match="nested more than 100 levels deep"):
        compile_expression(text)


def test_a_long_flat_chain_is_fine():
    text = "${" + "+".join(["1"] * 3000) + "}"
    assert len(text) < 10_000
    assert evaluate(text, Context()) == 3000


def test_texts_over_ten_thousand_characters_are_rejected():
    text = "${" + "a" * 10_000 + "}"
    with pytest.raises(JuelSyntaxError) as caught:
        compile_expression(text)
    message = str(caught.value)
    assert "the text is 10003 characters long, at most 10000 are allowed" in message
    assert len(message) < 500  # the expression is quoted, not dumped
