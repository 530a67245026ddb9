"""What can go wrong with an expression. Every error names the expression text it came from, so
the engine can report the element id and the expression together."""

# Messages quote the expression; a 10,000-character text would drown the reason.
_QUOTED_LENGTH = 300


def _quoted(expression):
    if len(expression) <= _QUOTED_LENGTH:
        return expression
    return f"{expression[:_QUOTED_LENGTH]}... ({len(expression)} characters)"


class JuelError(Exception):
    """Base of every expression error. `reason` says what went wrong, `expression` is the text."""

    message = "{reason} in expression {expression}"

    def __init__(self, reason: str, expression: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.expression = expression

    def __str__(self):
        if not self.expression:
            return self.reason
        return self.message.format(reason=self.reason, expression=_quoted(self.expression))


class JuelSyntaxError(JuelError):
    message = "Syntax error in expression {expression}: {reason}"


class JuelEvaluationError(JuelError):
    message = "Cannot evaluate expression {expression}: {reason}"


class UnknownVariable(JuelError):
    # Camunda's wording, which people search for.
    message = "Unknown property used in expression: {expression}. {reason}"

    def __init__(self, name: str, expression: str = ""):
        super().__init__(f"Cannot resolve identifier '{name}'", expression)
        self.name = name
