"""The ``gpuflow`` command: ``gpuflow train | info | export | bench``.

``main(argv)`` parses the arguments, runs one subcommand and returns its exit
status. Errors that are the user's to fix (a bad flag, a missing data folder, an
unknown or unavailable device) print one line on stderr and exit non-zero;
anything else is a bug and shows its traceback (``--debug`` shows the traceback
for every error).

Exit statuses: 0 success, 1 a runtime error (data, device, kernels, files),
2 a usage error (bad flags), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

from .. import __version__

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """A command-line argument is invalid; the message says which and what was expected."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage dump), raised as UsageError."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: error: {message} (see '{self.prog} --help')")


def _debug_flag(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument(
        "--debug", action="store_true", default=default, help="show the full traceback of any error"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``gpuflow`` command and its subcommands."""
    from . import export, info, train

    parser = _Parser(
        prog="gpuflow",
        description="gpuflow: train a network, inspect the installation, run the benchmarks.",
    )
    parser.add_argument("--version", action="version", version=f"gpuflow {__version__}")
    _debug_flag(parser, default=False)
    sub = parser.add_subparsers(
        dest="command", metavar="{train,info,export,bench}", parser_class=_Parser
    )
    sub.required = True
    for module in (train, info, export):
        p = module.add_parser(sub)
        _debug_flag(
            p, default=argparse.SUPPRESS
        )  # SUPPRESS: keep a --debug given before the subcommand
        p.set_defaults(handler=module.run)
    sub.add_parser("bench", help="run the benchmark suite (gpuflow bench --help)", add_help=False)
    return parser


def _command_name(argv: list[str]) -> str | None:
    """The first argument that is not an option (the subcommand), or None."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg
    return None


def _bench_module():
    """``gpuflow.bench`` when this installation has it (the benchmark issue adds it), else None."""
    if importlib.util.find_spec("gpuflow.bench") is None:
        return None
    return importlib.import_module("gpuflow.bench")


def _bench(argv: list[str]) -> int:
    """``gpuflow bench ...``: hands the arguments after ``bench`` to ``gpuflow.bench.main``."""
    bench = _bench_module()
    if bench is None:
        print(
            "gpuflow bench: the benchmarks are not installed in this gpuflow "
            "(no gpuflow.bench module)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    status = bench.main(argv)
    return status if isinstance(status, int) else EXIT_OK


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text.splitlines()[0]


def _user_errors() -> tuple[type[BaseException], ...]:
    """gpuflow's error types that describe a problem for the user to fix, not a bug."""
    from ..backend import DeviceUnavailableError
    from ..backend.cuda_launcher import KernelCompileError
    from ..backend.emu import EmuCompileError
    from ..backend.kernel_source import KernelSourceError
    from ..datasets import CorruptFileError, DataUnavailableError, DownloadError

    # ValueError covers CorruptFileError and DeviceMismatchError, OSError covers
    # DataUnavailableError, DownloadError and files that cannot be written; named anyway.
    return (
        DeviceUnavailableError,
        DataUnavailableError,
        CorruptFileError,
        DownloadError,
        KernelCompileError,
        EmuCompileError,
        KernelSourceError,
        ValueError,
        OSError,
    )


def main(argv: list[str] | None = None) -> int:
    """Runs the ``gpuflow`` command.

    Args:
        argv: The arguments after the program name; None means ``sys.argv[1:]``.

    Returns:
        The exit status: 0 success, 1 runtime error, 2 usage error, 130 interrupted.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    prog = "gpuflow"
    try:
        name = _command_name(argv)
        if name == "bench":
            i = argv.index("bench")
            return _bench(argv[i + 1 :])
        if name is not None:
            prog = f"gpuflow {name}"
        args = build_parser().parse_args(argv)
        debug = args.debug
        status = args.handler(args)
        return EXIT_OK if status is None else status
    except SystemExit as exc:  # argparse's --help and --version
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or EXIT_OK
        print(exc.code, file=sys.stderr)
        return EXIT_ERROR
    except UsageError as exc:
        if debug:
            raise
        print(_one_line(exc), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        if debug:
            raise
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except _user_errors() as exc:
        if debug:
            raise
        print(f"{prog}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR


__all__ = ["UsageError", "build_parser", "main"]
