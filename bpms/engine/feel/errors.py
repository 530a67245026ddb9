"""What can go wrong with a FEEL text. Every error names the text it came from, so the DMN layer
can report the decision, the rule and the text together."""

# Messages quote the text; a 10,000-character text would drown the reason.
_QUOTED_LENGTH = 300


def _quoted(text):
    if len(text) <= _QUOTED_LENGTH:
        return text
    return f"{text[:_QUOTED_LENGTH]}... ({len(text)} characters)"


class FeelError(Exception):
    """Base of every FEEL error. `reason` says what went wrong, `text` is the FEEL text."""

    message = "{reason} in FEEL {text}"

    def __init__(self, reason: str, text: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.text = text

    def __str__(self):
        if not self.text:
            return self.reason
        return self.message.format(reason=self.reason, text=_quoted(self.text))


class FeelSyntaxError(FeelError):
    message = "Syntax error in FEEL {text}: {reason}"


class FeelEvaluationError(FeelError):
    message = "Cannot evaluate FEEL {text}: {reason}"
