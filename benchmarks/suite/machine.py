"""What the benchmark ran on: CPU, cores, load, GPU and driver, library versions, BLAS."""

from __future__ import annotations

import datetime
import os
import platform
import re
import sys


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or the platform's answer elsewhere)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def short_name(text: str) -> str:
    """A folder-friendly short name: ``"AMD EPYC 7B13 64-Core"`` -> ``"amd-epyc-7b13"``."""
    words = [
        w
        for w in re.split(r"[^A-Za-z0-9]+", text.lower())
        if w and w not in ("r", "tm", "cpu", "processor", "core", "with", "radeon", "graphics")
    ]
    words = [w for w in words if not re.fullmatch(r"\d+", w) or len(words) < 3]
    return "-".join(words[:3]) or "cpu"


def blas_info() -> dict:
    """The BLAS NumPy uses: name, version, configuration, threads and core (where known)."""
    import numpy as np

    info: dict = {}
    try:
        config = np.show_config(mode="dicts")
        blas = config.get("Build Dependencies", {}).get("blas", {})
        info = {
            "name": blas.get("name"),
            "version": blas.get("version"),
            "config": (blas.get("openblas configuration") or "").strip() or None,
        }
    except Exception as exc:  # noqa: BLE001 - NumPy < 1.26 has no mode="dicts"; report, don't fail
        info = {"error": f"{type(exc).__name__}: {exc}"}
    try:
        import threadpoolctl

        pools = [p for p in threadpoolctl.threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            info.update(
                threads=pools[0].get("num_threads"),
                core=pools[0].get("architecture"),
                internal_api=pools[0].get("internal_api"),
            )
    except ImportError:
        info.update(_openblas_query())
    info["env"] = {
        k: v
        for k, v in os.environ.items()
        if k.startswith(("OPENBLAS", "OMP_", "MKL_", "GOTO", "BLIS"))
    }
    return info


def _openblas_query() -> dict:
    """OpenBLAS' kernel set (e.g. ``SkylakeX``) and threads through its C API, without
    threadpoolctl."""
    import ctypes
    import glob

    import numpy as np

    roots = [os.path.dirname(os.path.dirname(np.__file__))]
    for pattern in ("scipy_openblas*/lib/lib*openblas*.so*", "numpy.libs/lib*openblas*.so*"):
        for path in sorted(glob.glob(os.path.join(roots[0], pattern))):
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            found = {}
            for prefix in ("scipy_openblas_", "openblas_"):
                for suffix in ("64_", ""):
                    core = getattr(lib, f"{prefix}get_corename{suffix}", None)
                    threads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
                    if core is not None and "core" not in found:
                        core.restype = ctypes.c_char_p
                        found["core"] = core().decode()
                    if threads is not None and "threads" not in found:
                        threads.restype = ctypes.c_int
                        found["threads"] = int(threads())
            if found:
                return found
    return {}


def gpu_info() -> dict:
    """GPU name, memory and driver/runtime versions through CuPy, or why there is none."""
    from gpuflow.backend.cuda import cuda_status

    count, reason = cuda_status()
    info: dict = {"count": count, "status": reason}
    if count:
        import cupy

        props = cupy.cuda.runtime.getDeviceProperties(0)
        name = props["name"]
        info.update(
            name=name.decode() if isinstance(name, bytes) else name,
            memory_gib=round(props["totalGlobalMem"] / 2**30, 1),
            driver=cupy.cuda.runtime.driverGetVersion(),
            runtime=cupy.cuda.runtime.runtimeGetVersion(),
            cupy=cupy.__version__,
        )
    return info


def library_versions() -> dict:
    import numpy as np

    import gpuflow

    versions = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "gpuflow": gpuflow.__version__,
    }
    for name in ("cupy", "torch", "matplotlib"):
        module = sys.modules.get(name)
        if module is None:
            try:
                module = __import__(name)
            except Exception:  # noqa: BLE001 - a broken optional install is recorded as missing
                versions[name] = None
                continue
        versions[name] = getattr(module, "__version__", "?")
    return versions


def describe() -> dict:
    """Everything above, plus the date, OS, core count and the load average at this moment."""
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "os": f"{platform.system()} {platform.release()}",
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "load_average": load_average(),
        "cpu_pressure": cpu_pressure(),
        "blas": blas_info(),
        "gpu": gpu_info(),
        "versions": library_versions(),
    }
    torch = sys.modules.get("torch")
    if torch is not None:
        info["torch_threads"] = torch.get_num_threads()
        info["torch_cuda"] = bool(torch.cuda.is_available())
    return info


def load_average() -> list | None:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def cpu_pressure() -> str | None:
    """Linux PSI ``some`` line for the CPU: the share of time tasks waited for a CPU (other
    jobs' load)."""
    try:
        with open("/proc/pressure/cpu") as f:
            return f.readline().strip()
    except OSError:
        return None
