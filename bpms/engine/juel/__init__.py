"""A safe evaluator for the Java Unified Expression Language (EL 2.2) as Camunda 7 models use it:
`${amount > 1000 && approved}`, `#{execution.getVariable('x')}`, `kermit_${loopCounter}`.

Coercion follows the EL specification (see coercion.py, including the one deliberate difference:
division by zero is an error, not Infinity). Methods are an explicit allow-list (members.py);
`execution` is an ExecutionFacade, and `task` in a user task's listener a TaskFacade (context.py)."""

from .compiler import MAX_NESTING, MAX_TEXT_LENGTH, CompiledExpression, compile_expression, evaluate, is_expression
from .context import Context, ExecutionFacade, TaskFacade
from .errors import JuelError, JuelEvaluationError, JuelSyntaxError, UnknownVariable
from .members import JuelObject, Method

__all__ = [
    "MAX_NESTING", "MAX_TEXT_LENGTH", "CompiledExpression", "Context", "ExecutionFacade", "JuelError",
    "JuelEvaluationError", "JuelObject", "JuelSyntaxError", "Method", "TaskFacade", "UnknownVariable",
    "compile_expression", "evaluate", "is_expression",
]
