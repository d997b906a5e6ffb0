"""Graph mode: ``gpuflow.function`` traces a Python function into device-level steps and
replays them; ``cond`` / ``while_loop`` give control flow on tensor values;
``compile_step`` compiles a training, test or predict step for the Trainer."""

from .compile import compile_step
from .control_flow import cond, while_loop
from .function import Function, function
from .trace import OperatorNotAllowedInGraphError, TracingError

__all__ = [
    "Function",
    "OperatorNotAllowedInGraphError",
    "TracingError",
    "compile_step",
    "cond",
    "function",
    "while_loop",
]
