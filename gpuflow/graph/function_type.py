"""FunctionType: a ConcreteFunction's inputs and output as types (``cf.function_type``),
printed as TensorFlow 2.21 prints them."""

from __future__ import annotations

import collections
import inspect


class Parameter(inspect.Parameter):
    """One input: its name, kind and ``type_constraint`` (a TensorSpec, or the Python
    value the trace was made with)."""

    __slots__ = ("_optional", "_type_constraint")

    def __init__(self, name, kind, optional, type_constraint) -> None:
        super().__init__(name, kind)
        self._optional = optional
        self._type_constraint = type_constraint

    @property
    def optional(self) -> bool:
        return self._optional

    @property
    def type_constraint(self):
        return self._type_constraint

    def __repr__(self) -> str:
        return (
            f"Parameter(name={self.name}, kind={self.kind}, optional={self.optional}, "
            f"type_constraint={self.type_constraint!r})"
        )


class FunctionType:
    """The parameters (``parameters``: name -> Parameter), the ``output`` type and the
    ``captures`` of one trace. ``str()`` is TensorFlow's one line
    ``(x: TensorSpec(...), *, k: Literal[2]) -> TensorSpec(...)``; ``repr()`` its block."""

    def __init__(self, parameters, output, captures, type_text) -> None:
        self._parameters = collections.OrderedDict((p.name, p) for p in parameters)
        self._output = output
        self._captures = list(captures)
        self._type_text = type_text

    @property
    def parameters(self):
        return self._parameters

    @property
    def output(self):
        return self._output

    @property
    def captures(self):
        return self._captures

    def _line(self, p: Parameter) -> str:
        return f"{p.name}: {self._type_text(p.type_constraint)}"

    def __str__(self) -> str:
        parts, starred = [], False
        for p in self._parameters.values():
            if p.kind is inspect.Parameter.KEYWORD_ONLY and not starred:
                parts.append("*")
                starred = True
            parts.append(self._line(p))
        return f"({', '.join(parts)}) -> {self._type_text(self._output)}"

    def __repr__(self) -> str:
        lines = ["Input Parameters:"]
        lines += [
            f"  {p.name} ({p.kind}): {self._type_text(p.type_constraint)}"
            for p in self._parameters.values()
        ]
        lines += ["Output Type:", f"  {self._type_text(self._output)}", "Captures:"]
        lines += [
            f"  {c}: TensorSpec(shape=(), dtype=tf.resource, name=None)" for c in self._captures
        ] or ["  None"]
        return "\n".join(lines)
