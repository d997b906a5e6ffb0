"""Results out: the goals check, a table on stdout, results.json, results.md and PNG charts.

Ratios are speed ratios ``gpuflow/peer = peer time / gpuflow time``: above 1 gpuflow is
faster, below 1 slower (0.9 = gpuflow takes 11% longer).
"""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA = "gpuflow-bench/1"
CHARTS = ("throughput.png", "peers.png", "precision.png")

# (goal, model, device kind, measure, peer, target ratio)
GOALS = [
    ("CPU MLP training, batch 32: >= PyTorch", "mlp", "cpu", 32, "torch-cpu", 1.0),
    ("CPU MLP training, batch 32: within 10% of the NumPy loop", "mlp", "cpu", 32, "numpy", 0.9),
    ("CPU MLP training, batch 128: >= PyTorch", "mlp", "cpu", 128, "torch-cpu", 1.0),
    ("CPU MLP training, batch 128: within 10% of the NumPy loop", "mlp", "cpu", 128, "numpy", 0.9),
    ("CPU CNN training, batch 32: >= 0.8x PyTorch", "cnn", "cpu", 32, "torch-cpu", 0.8),
    ("CPU CNN training, batch 128: >= 0.8x PyTorch", "cnn", "cpu", 128, "torch-cpu", 0.8),
    ("CUDA MLP training, batch 32: >= PyTorch eager", "mlp", "cuda", 32, "torch-cuda", 1.0),
    ("CUDA MLP training, batch 128: >= PyTorch eager", "mlp", "cuda", 128, "torch-cuda", 1.0),
]


def goals(model_records: list) -> list:
    """The issue's performance goals, from the float32 epoch throughput (samples/s over an
    epoch)."""
    out = []
    for text, model, kind, batch, peer, target in GOALS:
        rec = next(
            (
                r
                for r in model_records
                if r["model"] == model
                and r["measure"] == "epoch"
                and r["dtype"] == "float32"
                and r["batch_size"] == batch
                and r["device"].split(":")[0] == kind
            ),
            None,
        )
        ratio = None if rec is None else rec["ratios"].get(f"gpuflow/{peer}")
        why = None
        if rec is None:
            why = f"not measured: no {kind} float32 run"
        elif ratio is None:
            why = f"not measured: {rec['skipped_peers'].get(peer, peer + ' not run')}"
        out.append(
            {
                "goal": text,
                "model": model,
                "device": kind,
                "batch_size": batch,
                "peer": peer,
                "target": target,
                "ratio": ratio,
                "met": None if ratio is None else ratio >= target,
                "note": why,
            }
        )
    return out


# -- stdout ---------------------------------------------------------------------------------
def _fmt(v, digits=3):
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.{digits}g}"
    return str(v)


def _table(headers: list, rows: list) -> list:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_fmt(c) for c in row) + " |" for row in rows]
    return lines


def _peers(records: list) -> list:
    names: list = []
    for r in records:
        for k in r["results"]:
            if k != "gpuflow" and k not in names:
                names.append(k)
    return names


def model_rows(records: list, measure: str) -> tuple[list, list]:
    recs = [r for r in records if r["measure"] == measure]
    names = _peers(recs)
    if measure == "inference":
        headers = (
            ["model", "device", "dtype", "batch", "gpuflow ms"]
            + [f"{n} ms" for n in names]
            + [f"gpuflow/{n}" for n in names]
        )
        rows = [
            [
                r["model"],
                r["device"],
                r["dtype"],
                r["batch_size"],
                r["results"]["gpuflow"]["median_s"] * 1e3,
            ]
            + [r["results"][n]["median_s"] * 1e3 if n in r["results"] else None for n in names]
            + [r["ratios"].get(f"gpuflow/{n}") for n in names]
            for r in recs
        ]
        return headers, rows
    headers = (
        ["model", "device", "dtype", "batch", "gpuflow samples/s"]
        + [f"{n} samples/s" for n in names]
        + [f"gpuflow/{n}" for n in names]
    )
    rows = [
        [r["model"], r["device"], r["dtype"], r["batch_size"], r["samples_per_s"]["gpuflow"]]
        + [r["samples_per_s"].get(n) for n in names]
        + [r["ratios"].get(f"gpuflow/{n}") for n in names]
        for r in recs
    ]
    return headers, rows


def op_rows(records: list) -> tuple[list, list]:
    names = _peers(records)
    headers = (
        ["op", "shape", "device", "dtype", "gpuflow ms", "gpuflow first call ms"]
        + [f"{n} ms" for n in names]
        + [f"gpuflow/{n}" for n in names]
        + ["gpuflow GFLOP/s or GB/s"]
    )
    rows = []
    for r in records:
        res = r["results"]
        rate = None
        if "gflops" in r:
            rate = f"{r['gflops']['gpuflow']:.3g} GFLOP/s"
        elif "gbytes_per_s" in r:
            rate = f"{r['gbytes_per_s']['gpuflow']:.3g} GB/s"
        rows.append(
            [
                r["op"],
                r["shape"],
                r["device"],
                r["dtype"],
                res["gpuflow"]["median_s"] * 1e3,
                (res["gpuflow"]["first_call_s"] or 0) * 1e3,
            ]
            + [res[n]["median_s"] * 1e3 if n in res else None for n in names]
            + [r["ratios"].get(f"gpuflow/{n}") for n in names]
            + [rate]
        )
    return headers, rows


def precision_rows(records: list) -> tuple[list, list]:
    headers = [
        "model",
        "device",
        "dtype",
        "epochs",
        "test accuracy",
        "test loss",
        "s/epoch",
        "s to predict the test set",
        "model KiB",
    ]
    rows = [
        [
            r["model"],
            r["device"],
            r["dtype"],
            r["epochs"],
            f"{r['test_accuracy']:.4f}",
            r["test_loss"],
            r["seconds_per_epoch"],
            r.get("predict_s"),
            r["model_bytes"] / 1024,
        ]
        for r in records
    ]
    return headers, rows


def goal_rows(goal_records: list) -> tuple[list, list]:
    headers = ["goal", "measured ratio", "target", "met"]
    rows = [[g["goal"], g["ratio"], g["target"], g["note"] or g["met"]] for g in goal_records]
    return headers, rows


def print_summary(results: dict, out: Path) -> None:
    print()
    print("\n".join(_table(*model_rows(results["models"], "epoch"))))
    print()
    print("\n".join(_table(*goal_rows(results["goals"]))))
    print(f"\ngpuflow bench: wrote {', '.join(results['files'])} to {out}")


# -- files ----------------------------------------------------------------------------------
def machine_lines(m: dict) -> list:
    blas = m.get("blas", {})
    gpu = m.get("gpu", {})
    v = m.get("versions", {})
    env = blas.get("env") or {}
    return [
        (
            f"- CPU: {m.get('cpu')}, {m.get('cores')} cores "
            f"({m.get('usable_cores')} usable); {m.get('os')}"
        ),
        f"- load average at start {m.get('load_average')}, at end {m.get('load_average_end')}",
        (
            f"- CPU pressure (PSI) at start `{m.get('cpu_pressure')}`, "
            f"at end `{m.get('cpu_pressure_end')}`"
        ),
        (
            f"- BLAS: {blas.get('name')} {blas.get('version')}, core {blas.get('core', '?')}, "
            f"{blas.get('threads', '?')} threads; BLAS environment: {env or 'none set'}"
        ),
        f"- GPU: {gpu.get('name', 'none')} "
        + (
            f"(driver {gpu.get('driver')}, runtime {gpu.get('runtime')})"
            if gpu.get("count")
            else f"- {gpu.get('status')}"
        ),
        (
            f"- Python {v.get('python')}, NumPy {v.get('numpy')}, CuPy {v.get('cupy')}, "
            f"PyTorch {v.get('torch')} "
            f"({m.get('torch_threads', '?')} threads), gpuflow {v.get('gpuflow')}"
        ),
    ]


def write_markdown(results: dict, path: Path) -> None:
    s = results["settings"]
    lines = [
        f"# gpuflow bench: {results['machine']['date']}",
        "",
        (
            f"`gpuflow bench {' '.join(s['argv'])}` ({'quick' if s['quick'] else 'full'} run, "
            f"{results['duration_s']:.0f} s); devices {', '.join(s['devices'])}; "
            f"dtypes {', '.join(s['dtypes'])}."
        ),
        "",
        "## Machine",
        "",
    ] + machine_lines(results["machine"])
    for skipped in results["skipped"]:
        lines.append(f"- skipped: {skipped}")
    if s["quick"]:
        lines += ["", "**Quick run: tiny sizes and single repeats; the numbers mean nothing.**"]
    lines += [
        "",
        (
            "Medians of repeats taken in turns (gpuflow and its peers alternating). Ratios are "
            "`gpuflow/peer` = peer time / gpuflow time: above 1 gpuflow is faster."
        ),
        "",
        "## Goals (float32, samples/s over an epoch)",
        "",
    ] + _table(*goal_rows(results["goals"]))
    lines += ["", "## Training: samples/s over an epoch (digits 28x28, SGD)", ""]
    lines += _table(*model_rows(results["models"], "epoch"))
    lines += ["", "## Training: one step on a fixed batch (samples/s)", ""]
    lines += _table(*model_rows(results["models"], "train_step"))
    lines += ["", "## Inference latency (one forward pass)", ""]
    lines += _table(*model_rows(results["models"], "inference"))
    lines += ["", "## Ops (median ms; first call reported apart)", ""] + _table(
        *op_rows(results["ops"])
    )
    if results["ceilings"]:
        lines += ["", "## GPU ceilings measured in this run", ""]
        lines += _table(
            ["ceiling", "device", "dtype", "size", "ms", "rate"],
            [
                [
                    c["ceiling"],
                    c["device"],
                    c["dtype"],
                    c["size"],
                    c["median_s"] * 1e3,
                    f"{c['gbytes_per_s']:.0f} GB/s"
                    if "gbytes_per_s" in c
                    else f"{c['gflops'] / 1e3:.1f} TFLOP/s",
                ]
                for c in results["ceilings"]
            ],
        )
    lines += [
        "",
        "## Precision: fixed epochs on digits 28x28 (SGD momentum 0.9, lr 0.05, batch 32)",
        "",
    ]
    lines += _table(*precision_rows(results["precision"]))
    if results.get("chart_error"):
        lines += ["", f"No charts: {results['chart_error']}"]
    else:
        lines += [""] + [f"![{name}]({name})" for name in CHARTS]
    path.write_text("\n".join(lines) + "\n")


def write_charts(results: dict, out: Path) -> str | None:
    """The PNG charts; returns why not (matplotlib missing) or None."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        return f"matplotlib is not installed ({exc}); pip install 'gpuflow[plot]'"
    epochs = [r for r in results["models"] if r["measure"] == "epoch"]

    # 1. gpuflow's training throughput by device x dtype.
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, model in zip(axes, ("mlp", "cnn")):
        recs = [r for r in epochs if r["model"] == model]
        groups = sorted({(r["device"], r["dtype"]) for r in recs})
        batches = sorted({r["batch_size"] for r in recs})
        width = 0.8 / max(len(batches), 1)
        for i, b in enumerate(batches):
            vals = [
                next(
                    (
                        r["samples_per_s"]["gpuflow"]
                        for r in recs
                        if (r["device"], r["dtype"]) == g and r["batch_size"] == b
                    ),
                    0,
                )
                for g in groups
            ]
            ax.bar([x + i * width for x in range(len(groups))], vals, width, label=f"batch {b}")
        ax.set_xticks(
            [x + width * (len(batches) - 1) / 2 for x in range(len(groups))],
            [f"{d}\n{t}" for d, t in groups],
        )
        ax.set_title(f"gpuflow {model.upper()} training")
        ax.set_ylabel("samples/s (epoch)")
        ax.legend()
    fig.tight_layout()
    fig.savefig(out / CHARTS[0], dpi=100)
    plt.close(fig)

    # 2. gpuflow vs peers, float32 (or whatever dtype ran first).
    dtype = (
        "float32"
        if any(r["dtype"] == "float32" for r in epochs)
        else (epochs[0]["dtype"] if epochs else "-")
    )
    recs = [r for r in epochs if r["dtype"] == dtype]
    labels = [f"{r['model']} {r['device']}\nbatch {r['batch_size']}" for r in recs]
    impls = ["gpuflow"] + _peers(recs)
    fig, ax = plt.subplots(figsize=(max(6, 1.4 * len(recs) + 2), 4))
    width = 0.8 / len(impls)
    for i, name in enumerate(impls):
        ax.bar(
            [x + i * width for x in range(len(recs))],
            [r["samples_per_s"].get(name, 0) for r in recs],
            width,
            label=name,
        )
    ax.set_xticks([x + width * (len(impls) - 1) / 2 for x in range(len(recs))], labels)
    ax.set_ylabel("samples/s (epoch)")
    ax.set_title(f"training throughput, gpuflow vs peers ({dtype})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / CHARTS[1], dpi=100)
    plt.close(fig)

    # 3. precision: test accuracy and seconds per epoch by dtype.
    prec = results["precision"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    keys = sorted({(r["model"], r["device"]) for r in prec})
    dtypes = sorted({r["dtype"] for r in prec})
    width = 0.8 / max(len(dtypes), 1)
    for ax, field, title in (
        (axes[0], "test_accuracy", "test accuracy"),
        (axes[1], "seconds_per_epoch", "s / epoch"),
    ):
        for i, dt in enumerate(dtypes):
            vals = [
                next(
                    (
                        r[field] or 0
                        for r in prec
                        if (r["model"], r["device"]) == k and r["dtype"] == dt
                    ),
                    0,
                )
                for k in keys
            ]
            ax.bar([x + i * width for x in range(len(keys))], vals, width, label=dt)
        ax.set_xticks(
            [x + width * (len(dtypes) - 1) / 2 for x in range(len(keys))],
            [f"{m} {d}" for m, d in keys],
        )
        ax.set_title(title)
        ax.legend()
    fig.tight_layout()
    fig.savefig(out / CHARTS[2], dpi=100)
    plt.close(fig)
    return None


def write(results: dict, out: Path) -> list:
    """Writes results.json, results.md and the charts into ``out``; returns the file names."""
    out.mkdir(parents=True, exist_ok=True)
    results["chart_error"] = write_charts(results, out)
    files = ["results.json", "results.md"] + ([] if results["chart_error"] else list(CHARTS))
    results["files"] = files
    write_markdown(results, out / "results.md")
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    return files
