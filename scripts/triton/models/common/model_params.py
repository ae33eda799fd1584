"""Config `parameters` shared by every model of the test repository (docs/architecture.md).

make_repo.py copies this file next to each model.py; the python-backend stub puts the model's
version directory on sys.path, so `from model_params import ...` resolves to that copy.

Parameters (all string values, as Triton's ModelConfig.parameters requires):
  slowdown_us      wait this many microseconds per executed batch (default 0)
  slowdown_pct     after a batch, wait this percentage of the time the batch itself took (default 0)
  max_batch_limit  if > 0 and max_batch_size exceeds it, refuse to load (default 0 = no limit)

Why sleep and not burn CPU: the slowdown stands for accelerator time (a GPU kernel, a slower
TensorRT engine). While a real GPU computes, the host CPU is free; on a 2-core runner a busy loop
would instead steal the CPU the load generator needs, and the measured regression would be the
client starving rather than the server being slower.

Why the last stretch is a spin: on this VM `time.sleep(20e-6)` returns after about 99 µs
(80 µs of timer slack and wake-up; measured 2026-11-24, 2000 sleeps), so a sleep alone cannot
make a batch 20 µs slower, and the 5% and 10% slowdowns of `npm run bench:gate` need about that.
The wait sleeps until SPIN_S before its deadline and spins the rest: at most SPIN_S of CPU per
batch, exact to a few microseconds.
"""

import math
import time

SPIN_S = 200e-6


def wait(delay_s):
    """Waits `delay_s` seconds: sleeps while far from the deadline, spins the last SPIN_S."""
    deadline = time.perf_counter() + delay_s
    if delay_s > SPIN_S:
        time.sleep(delay_s - SPIN_S)
    while time.perf_counter() < deadline:
        pass


class ModelParams:
    """Parsed parameters of one loaded model; `pace()` applies the slowdown to one batch."""

    def __init__(self, slowdown_us, slowdown_pct):
        self.slowdown_s = slowdown_us / 1e6
        self.slowdown_fraction = slowdown_pct / 100.0

    def pace(self, compute_s):
        delay_s = self.slowdown_s + compute_s * self.slowdown_fraction
        if delay_s > 0:
            wait(delay_s)


def _read(model_name, parameters, key, parse, minimum):
    entry = parameters.get(key)
    raw = entry.get("string_value", "") if isinstance(entry, dict) else ""
    if raw.strip() == "":
        return parse("0")
    try:
        value = parse(raw)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value < minimum:
        raise ValueError(
            f"{model_name}: parameter {key} is '{raw}', expected a number >= {minimum}"
        )
    return value


def read_params(model_name, model_config):
    """Validates the parameters of `model_config` (the parsed JSON Triton hands to initialize).

    Raising here makes the load fail, and Triton returns the message to the RepositoryModelLoad
    caller, which is how a TensorRT engine built for a smaller optimization profile behaves.
    """
    parameters = model_config.get("parameters", {}) or {}
    slowdown_us = _read(model_name, parameters, "slowdown_us", int, 0)
    slowdown_pct = _read(model_name, parameters, "slowdown_pct", float, 0.0)
    max_batch_limit = _read(model_name, parameters, "max_batch_limit", int, 0)
    max_batch = int(model_config.get("max_batch_size", 0))
    if max_batch_limit > 0 and max_batch > max_batch_limit:
        raise ValueError(
            f"{model_name}: configuration specified max-batch {max_batch} but this engine only "
            f"supports max-batch {max_batch_limit} (parameter max_batch_limit)"
        )
    return ModelParams(slowdown_us, slowdown_pct)
