"""Start this program again under mpiexec: ``gpuflow train --workers N``.

The mpiexec used is the one beside ``sys.executable`` (the ``mpich`` wheel of the
``[mpi]`` extra puts it in the environment's bin folder), so the workers run the same
Python and gpuflow as the command that started them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .communicator import launched_by_mpi


def mpiexec_beside_python() -> Path | None:
    """The mpiexec in ``sys.executable``'s folder, or None."""
    path = Path(sys.executable).parent / ("mpiexec.exe" if os.name == "nt" else "mpiexec")
    return path if path.exists() else None


def relaunch(workers: int, argv: list[str]) -> int:
    """Run ``python -m gpuflow *argv`` as ``workers`` MPI processes; their exit status.

    Raises:
        RuntimeError: when no mpiexec sits beside the Python executable.
    """
    mpiexec = mpiexec_beside_python()
    if mpiexec is None:
        raise RuntimeError(
            f"--workers {workers}: no mpiexec beside {sys.executable}; install "
            "the MPI extra (pip install 'gpuflow[mpi]', which brings mpi4py "
            "and the mpich wheel's mpiexec)"
        )
    command = [str(mpiexec), "-n", str(workers), sys.executable, "-m", "gpuflow", *argv]
    # The workers import this very gpuflow, installed or not (a source checkout).
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return subprocess.call(command, env=env)


__all__ = ["launched_by_mpi", "mpiexec_beside_python", "relaunch"]
