"""The parsed form of a DMN file: frozen dataclasses that convert to and from plain JSON, so a
deployment stores them once and evaluation never reads XML again."""

from dataclasses import dataclass


class DmnError(Exception):
    """Base of every DMN error."""


class DmnInvalid(DmnError):
    """A DMN file that cannot be deployed; `problems` lists every reason, each naming its element."""

    def __init__(self, problems):
        super().__init__("; ".join(f"{problem.element_id or problem.resource}: {problem.detail}"
                                   for problem in problems))
        self.problems = list(problems)


class DmnEvaluationError(DmnError):
    """A decision that could not be evaluated with the given variables."""


FEEL = "feel"
JUEL = "juel"
DEFAULT_INPUT_VARIABLE = "cellInput"
HIT_POLICIES = ("UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT", "RULE ORDER", "OUTPUT ORDER")
AGGREGATIONS = ("SUM", "MIN", "MAX", "COUNT")
TYPE_REFS = ("string", "boolean", "integer", "long", "double", "date")


@dataclass(frozen=True)
class Expression:
    """Model text and the language it is written in (FEEL or JUEL). Empty text is meaningful:
    an input entry that matches anything, an output entry that gives no output."""

    text: str
    language: str = FEEL

    def to_json(self):
        return {"text": self.text, "language": self.language}

    @classmethod
    def from_json(cls, data):
        return cls(data["text"], data["language"])


def _optional_expression(data):
    return Expression.from_json(data) if data is not None else None


@dataclass(frozen=True)
class Input:
    id: str
    label: str | None
    expression: Expression | None      # None: the input's value is null
    type_ref: str | None
    variable: str = DEFAULT_INPUT_VARIABLE

    def to_json(self):
        return {"id": self.id, "label": self.label, "typeRef": self.type_ref, "inputVariable": self.variable,
                "expression": self.expression.to_json() if self.expression else None}

    @classmethod
    def from_json(cls, data):
        return cls(data["id"], data["label"], _optional_expression(data["expression"]), data["typeRef"],
                   data["inputVariable"])


@dataclass(frozen=True)
class Output:
    """`values` are the outputValues, each one FEEL unary test, highest priority first."""

    id: str
    name: str
    label: str | None
    type_ref: str | None
    values: tuple[str, ...] = ()

    def to_json(self):
        return {"id": self.id, "name": self.name, "label": self.label, "typeRef": self.type_ref,
                "outputValues": list(self.values)}

    @classmethod
    def from_json(cls, data):
        return cls(data["id"], data["name"], data["label"], data["typeRef"], tuple(data["outputValues"]))


@dataclass(frozen=True)
class Rule:
    id: str
    input_entries: tuple[Expression, ...]
    output_entries: tuple[Expression, ...]

    def to_json(self):
        return {"id": self.id, "inputEntries": [entry.to_json() for entry in self.input_entries],
                "outputEntries": [entry.to_json() for entry in self.output_entries]}

    @classmethod
    def from_json(cls, data):
        return cls(data["id"], tuple(map(Expression.from_json, data["inputEntries"])),
                   tuple(map(Expression.from_json, data["outputEntries"])))


@dataclass(frozen=True)
class DecisionTable:
    hit_policy: str
    aggregation: str | None
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]
    rules: tuple[Rule, ...]

    def to_json(self):
        return {"hitPolicy": self.hit_policy, "aggregation": self.aggregation,
                "inputs": [item.to_json() for item in self.inputs],
                "outputs": [item.to_json() for item in self.outputs],
                "rules": [item.to_json() for item in self.rules]}

    @classmethod
    def from_json(cls, data):
        return cls(data["hitPolicy"], data["aggregation"], tuple(map(Input.from_json, data["inputs"])),
                   tuple(map(Output.from_json, data["outputs"])), tuple(map(Rule.from_json, data["rules"])))


@dataclass(frozen=True)
class LiteralExpression:
    variable: str
    type_ref: str | None
    expression: Expression

    def to_json(self):
        return {"variable": self.variable, "typeRef": self.type_ref, "expression": self.expression.to_json()}

    @classmethod
    def from_json(cls, data):
        return cls(data["variable"], data["typeRef"], Expression.from_json(data["expression"]))


@dataclass(frozen=True)
class Decision:
    """One <decision>. `required` are the keys of the decisions it requires, all in its own file."""

    key: str
    name: str | None
    version_tag: str | None
    required: tuple[str, ...]
    logic: DecisionTable | LiteralExpression

    def to_json(self) -> dict:
        kind = "decisionTable" if isinstance(self.logic, DecisionTable) else "literalExpression"
        return {"key": self.key, "name": self.name, "versionTag": self.version_tag,
                "requiredDecisions": list(self.required), kind: self.logic.to_json()}

    @classmethod
    def from_json(cls, data: dict) -> "Decision":
        if "decisionTable" in data:
            logic = DecisionTable.from_json(data["decisionTable"])
        else:
            logic = LiteralExpression.from_json(data["literalExpression"])
        return cls(data["key"], data["name"], data["versionTag"], tuple(data["requiredDecisions"]), logic)
