"""The optimizer cases shared by make_keras_reference.py (real Keras) and the tests (gpuflow).

Each case: ``(class name, constructor kwargs, exclude)``; a ``learning_rate`` given as
``("ScheduleName", {...})`` is built with the framework's own schedule class; ``exclude``
(or None) is passed to ``exclude_from_weight_decay``: ``{"var_names": [...]}`` or
``{"var_index": [...]}`` (indices into the variable list). Plain-Python data only, so both
sides import it without TensorFlow or gpuflow.
"""

from __future__ import annotations

import numpy as np

STEPS = 20
SHAPES = ((2, 3), (3,))
NAMES = ("kernel", "bias")


def initial_values():
    rng = np.random.default_rng(7)
    return [rng.normal(size=shape) for shape in SHAPES]


def gradients():
    """``STEPS`` lists of float64 gradients; every fifth step is large, to make clipping act."""
    rng = np.random.default_rng(11)
    out = []
    for step in range(STEPS):
        scale = 5.0 if step % 5 == 2 else 0.5
        out.append([rng.normal(size=shape) * scale for shape in SHAPES])
    return out


# Hyperparameters are exact in float32: Keras's TensorFlow backend casts Python floats
# through float32 (ops.cast(0.9, "float64") == 0.8999999761581421), which would otherwise
# differ from gpuflow's float64 arithmetic by about 1e-8.
_ADAM = {"beta_1": 0.875, "beta_2": 0.9990234375, "epsilon": 2.0**-20}
OPTIMIZERS = {
    "SGD": {"learning_rate": 0.05},
    "SGD_momentum": {"learning_rate": 0.05, "momentum": 0.875},
    "SGD_nesterov": {"learning_rate": 0.05, "momentum": 0.875, "nesterov": True},
    "Adam": {"learning_rate": 0.05, **_ADAM},
    "Adam_amsgrad": {"learning_rate": 0.05, "amsgrad": True, **_ADAM},
    "AdamW": {"learning_rate": 0.05, "weight_decay": 0.125, **_ADAM},
    "Nadam": {"learning_rate": 0.05, **_ADAM},
    "Adamax": {"learning_rate": 0.05, **_ADAM},
    "Adagrad": {"learning_rate": 0.05, "initial_accumulator_value": 0.125, "epsilon": 2.0**-20},
    "Adadelta": {"learning_rate": 1.0, "rho": 0.875, "epsilon": 2.0**-20},
    "RMSprop": {"learning_rate": 0.05, "rho": 0.875, "epsilon": 2.0**-20},
    "RMSprop_centered": {
        "learning_rate": 0.05,
        "centered": True,
        "momentum": 0.5,
        "rho": 0.875,
        "epsilon": 2.0**-20,
    },
    "Lion": {"learning_rate": 0.05, "beta_1": 0.875, "beta_2": 0.984375},
}

OPTIONS = {
    "plain": {},
    "weight_decay": {"weight_decay": 0.0625},
    "clipnorm": {"clipnorm": 0.75},
    "clipvalue": {"clipvalue": 0.25},
    "global_clipnorm": {"global_clipnorm": 1.0},
    "ema": {"use_ema": True, "ema_momentum": 0.75, "ema_overwrite_frequency": 4},
    "accumulation": {"gradient_accumulation_steps": 3},
    "loss_scale_factor": {"loss_scale_factor": 8.0},
}

SCHEDULES = {
    "exponential": (
        "ExponentialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 0.5},
    ),
    "exponential_staircase": (
        "ExponentialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 0.5, "staircase": True},
    ),
    "piecewise": ("PiecewiseConstantDecay", {"boundaries": [3, 9], "values": [0.1, 0.05, 0.01]}),
    "cosine": ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 15, "alpha": 0.1}),
    "cosine_warmup": (
        "CosineDecay",
        {"initial_learning_rate": 0.0, "decay_steps": 12, "warmup_target": 0.1, "warmup_steps": 5},
    ),
    "cosine_restarts": (
        "CosineDecayRestarts",
        {
            "initial_learning_rate": 0.1,
            "first_decay_steps": 3,
            "t_mul": 2.0,
            "m_mul": 0.8,
            "alpha": 0.05,
        },
    ),
    "cosine_restarts_t1": (
        "CosineDecayRestarts",
        {"initial_learning_rate": 0.1, "first_decay_steps": 4, "t_mul": 1.0},
    ),
    "polynomial": (
        "PolynomialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 10, "end_learning_rate": 0.01, "power": 2.0},
    ),
    "polynomial_cycle": (
        "PolynomialDecay",
        {
            "initial_learning_rate": 0.1,
            "decay_steps": 6,
            "end_learning_rate": 0.001,
            "power": 0.5,
            "cycle": True,
        },
    ),
    "inverse_time": (
        "InverseTimeDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.7},
    ),
}


def cases():
    """name -> (class name, kwargs, exclude, finalize)."""
    out = {}
    for opt, base in OPTIMIZERS.items():
        cls = opt.split("_")[0]
        for option, extra in OPTIONS.items():
            out[f"{opt}-{option}"] = (cls, {**base, **extra}, None, False)
    for sched, spec in SCHEDULES.items():
        out[f"SGD_momentum-schedule_{sched}"] = (
            "SGD",
            {"learning_rate": spec, "momentum": 0.5},
            None,
            False,
        )
        out[f"Adam-schedule_{sched}"] = ("Adam", {"learning_rate": spec, **_ADAM}, None, False)
    out["AdamW-exclude_names"] = (
        "AdamW",
        {"learning_rate": 0.05, "weight_decay": 0.25, **_ADAM},
        {"var_names": ["bias"]},
        False,
    )
    out["SGD-exclude_list"] = (
        "SGD",
        {"learning_rate": 0.05, "weight_decay": 0.25},
        {"var_index": [0]},
        False,
    )
    out["Adam-ema_finalize"] = (
        "Adam",
        {"learning_rate": 0.05, "use_ema": True, "ema_momentum": 0.875, **_ADAM},
        None,
        True,
    )
    out["Adam-accumulation_schedule_wd"] = (
        "AdamW",
        {
            "learning_rate": SCHEDULES["exponential"],
            "weight_decay": 0.125,
            **_ADAM,
            "gradient_accumulation_steps": 2,
            "use_ema": True,
            "ema_overwrite_frequency": 3,
            "clipnorm": 1.0,
        },
        None,
        True,
    )
    out["Nadam-accumulation_ema"] = (
        "Nadam",
        {
            "learning_rate": 0.05,
            **_ADAM,
            "gradient_accumulation_steps": 4,
            "use_ema": True,
            "ema_momentum": 0.5,
        },
        None,
        False,
    )
    return out


def build(module, schedules_module, name):
    """``(optimizer, exclude, finalize)`` for case ``name`` from a framework's modules."""
    cls, kwargs, exclude, finalize = cases()[name]
    kwargs = dict(kwargs)
    lr = kwargs.get("learning_rate")
    if isinstance(lr, tuple):
        sched_cls, sched_kwargs = lr
        sched_kwargs = {
            k: (np.float64(v) if isinstance(v, float) else v) for k, v in sched_kwargs.items()
        }
        if "values" in sched_kwargs:
            sched_kwargs["values"] = [np.float64(v) for v in sched_kwargs["values"]]
        kwargs["learning_rate"] = getattr(schedules_module, sched_cls)(**sched_kwargs)
    return getattr(module, cls)(**kwargs), exclude, finalize
