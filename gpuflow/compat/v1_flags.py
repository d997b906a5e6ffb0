"""``tf.compat.v1.flags`` (``tf.app.flags`` of TF 1 scripts): command-line flags defined
with ``DEFINE_string`` / ``DEFINE_integer`` / ``DEFINE_float`` / ``DEFINE_boolean`` /
``DEFINE_list`` / ``DEFINE_enum`` and read as ``FLAGS.name``.

TensorFlow re-exports absl's flags; this is the part of that API TF 1 scripts use, with
absl's parsing rules (``--name=value``, ``--name value``, ``--flag`` / ``--noflag`` for
booleans, ``--`` ends the flags) and error types. As TensorFlow's ``FLAGS`` wrapper, the
first read of a flag before any parse parses ``sys.argv`` (unknown flags tolerated)."""

from __future__ import annotations

import sys
import types


class Error(Exception):
    """The base of the flag errors (absl.flags.Error)."""


class IllegalFlagValueError(Error):
    """A flag's value does not parse or is out of its bounds."""


class DuplicateFlagError(Error):
    """A flag name defined twice."""


class UnrecognizedFlagError(Error):
    """A command line names a flag that is not defined."""


class FlagHolder:
    """What ``DEFINE_*`` returns: ``.value`` is the flag's current value."""

    def __init__(self, flag_values: FlagValues, name: str) -> None:
        self._flag_values, self.name = flag_values, name

    @property
    def value(self):
        return getattr(self._flag_values, self.name)

    @property
    def default(self):
        return self._flag_values._flags[self.name]["default"]


def _boolean(text):
    if isinstance(text, bool):
        return text
    lowered = str(text).lower()
    if lowered in ("true", "t", "1"):
        return True
    if lowered in ("false", "f", "0"):
        return False
    raise ValueError(f"Non-boolean argument to boolean flag: {text}")


def _bounded(kind, lower, upper):
    def parse(text):
        value = kind(text)
        if lower is not None and value < lower or upper is not None and value > upper:
            if lower == 1 and upper is None and kind is int:
                raise ValueError(f"{value} is not a positive integer")
            low = "-inf" if lower is None else lower
            high = "inf" if upper is None else upper
            raise ValueError(f"{value} is not in the range [{low}, {high}]")
        return value

    return parse


def _listed(text):
    if isinstance(text, (list, tuple)):
        return [str(v) for v in text]
    return [part.strip() for part in str(text).split(",") if part.strip()]


def _enum(values):
    def parse(text):
        if text not in values:
            raise ValueError(f"value should be one of <{'|'.join(values)}>")
        return text

    return parse


class FlagValues:
    """The registry of defined flags: ``FLAGS.name`` reads one, ``FLAGS(argv)`` parses a
    command line and returns its arguments that are not flags (``argv[0]`` first)."""

    def __init__(self) -> None:
        object.__setattr__(self, "_flags", {})
        object.__setattr__(self, "_parsed", False)

    def _define(self, name, default, help_text, parse, boolean=False):
        if name in self._flags:
            raise DuplicateFlagError(
                f"The flag '{name}' is defined twice. Description from first occurrence: "
                f"{self._flags[name]['help']}"
            )
        value = None if default is None else parse(default)
        self._flags[name] = {"value": value, "default": value, "help": help_text,
                             "parse": parse, "boolean": boolean}  # fmt: skip
        return FlagHolder(self, name)

    def __getattr__(self, name: str):
        flags = object.__getattribute__(self, "_flags")
        if name not in flags:
            raise AttributeError(name)
        if not self._parsed:  # TensorFlow's wrapper: parse sys.argv on the first read
            self(sys.argv, known_only=True)
        return flags[name]["value"]

    def __setattr__(self, name: str, value) -> None:
        if name not in self._flags:
            raise AttributeError(f"no flag named {name!r}")
        self._flags[name]["value"] = value

    def __contains__(self, name) -> bool:
        return name in self._flags

    def __call__(self, argv, known_only: bool = False) -> list:
        argv = list(argv)
        rest, i = argv[:1], 1
        while i < len(argv):
            arg = argv[i]
            i += 1
            if arg == "--":
                rest.extend(argv[i:])
                break
            if not arg.startswith("-") or arg == "-":
                rest.append(arg)
                continue
            name, has_value, text = arg.lstrip("-").partition("=")
            flag = self._flags.get(name)
            if flag is None and name.startswith("no") and not has_value:
                negated = self._flags.get(name[2:])
                if negated is not None and negated["boolean"]:
                    negated["value"] = False
                    continue
            if flag is None:
                if known_only:
                    rest.append(arg)
                    continue
                raise UnrecognizedFlagError(f"Unknown command line flag '{name}'")
            if not has_value:
                if flag["boolean"]:
                    text = "true"
                elif i < len(argv):
                    text, i = argv[i], i + 1
                else:
                    raise Error(f"Flag --{name} must have a value other than None.")
            try:
                flag["value"] = flag["parse"](text)
            except ValueError as exc:
                raise IllegalFlagValueError(f"flag --{name}={text}: {exc}") from None
        object.__setattr__(self, "_parsed", True)
        return rest

    def is_parsed(self) -> bool:
        return self._parsed

    def mark_as_parsed(self) -> None:
        object.__setattr__(self, "_parsed", True)

    def flag_values_dict(self) -> dict:
        return {name: flag["value"] for name, flag in self._flags.items()}

    def __dir__(self) -> list:
        return sorted(self._flags)


FLAGS = FlagValues()


def DEFINE_string(name, default, help, flag_values=FLAGS, **kwargs):  # noqa: N802,A002
    return flag_values._define(name, default, help, str)


def DEFINE_integer(name, default, help, lower_bound=None, upper_bound=None,  # noqa: N802
                   flag_values=FLAGS, **kwargs):  # noqa: A002  # fmt: skip
    return flag_values._define(name, default, help, _bounded(int, lower_bound, upper_bound))


def DEFINE_float(name, default, help, lower_bound=None, upper_bound=None,  # noqa: N802
                 flag_values=FLAGS, **kwargs):  # noqa: A002  # fmt: skip
    return flag_values._define(name, default, help, _bounded(float, lower_bound, upper_bound))


def DEFINE_boolean(name, default, help, flag_values=FLAGS, **kwargs):  # noqa: N802,A002
    return flag_values._define(name, default, help, _boolean, boolean=True)


DEFINE_bool = DEFINE_boolean


def DEFINE_list(name, default, help, flag_values=FLAGS, **kwargs):  # noqa: N802,A002
    return flag_values._define(name, default, help, _listed)


def DEFINE_enum(name, default, enum_values, help, flag_values=FLAGS, **kwargs):  # noqa: N802,A002
    return flag_values._define(name, default, help, _enum(list(enum_values)))


def run(main=None, argv=None):
    """``tf.compat.v1.app.run``: parse the flags of ``argv`` (``sys.argv`` by default;
    unknown flags are left in the arguments), call ``main(arguments)`` (the ``main`` of
    ``__main__`` by default) and exit with what it returns."""
    main = main or sys.modules["__main__"].main
    args = FLAGS(sys.argv if argv is None else argv, known_only=True)
    sys.exit(main(args))


namespace = types.SimpleNamespace(
    FLAGS=FLAGS, FlagValues=FlagValues, FlagHolder=FlagHolder, Error=Error,
    IllegalFlagValueError=IllegalFlagValueError, DuplicateFlagError=DuplicateFlagError,
    UnrecognizedFlagError=UnrecognizedFlagError, DEFINE_string=DEFINE_string,
    DEFINE_integer=DEFINE_integer, DEFINE_float=DEFINE_float, DEFINE_boolean=DEFINE_boolean,
    DEFINE_bool=DEFINE_bool, DEFINE_list=DEFINE_list, DEFINE_enum=DEFINE_enum,
)  # fmt: skip
app = types.SimpleNamespace(run=run, flags=namespace)  # tf.compat.v1.app.flags too
