"""Writes the Triton model repository used by tests and benchmarks (docs/architecture.md).

Run by setup.sh with the project venv's python (it needs numpy and onnx):
    .triton/venv/bin/python scripts/triton/make_repo.py --out .triton/repo

Models (all python backend, one KIND_CPU instance, dynamic batching):
  demo_onnx             64 -> 256 Relu -> 10 MLP through onnxruntime, max_batch_size 64
  identity              INPUT0 -> OUTPUT0, FP32 [16], max_batch_size 64
  large_output          INPUT0 FP32 [1] -> OUTPUT0 FP32 [65536] (256 KiB per item), max_batch_size 8,
                        for the client's large-reply path; not loaded at startup
  demo_onnx_mb{1..64}   demo_onnx with a fixed max_batch_size, for a "one model per max_batch"
                        strategy; not loaded at startup
  model_kinds.py        one model of each kind Triton serves (streaming, sequences, non-batching,
                        ensemble, BLS, optional/BYTES/FP16/BF16/image inputs); not loaded at startup

The weights come from a fixed seed and are also written as demo_onnx/weights.json so TypeScript
tests can recompute y = relu(x @ w1 + b1) @ w2 + b2 without onnxruntime.
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from model_kinds import model_kinds

MODELS_DIR = Path(__file__).resolve().parent / "models"
SEED = 20240917
INPUT_DIM, HIDDEN_DIM, OUTPUT_DIM = 64, 256, 10
IDENTITY_DIM = 16
LARGE_OUTPUT_DIM, LARGE_OUTPUT_MAX_BATCH = 65536, 8
MAX_BATCH = 64
PER_MAX_BATCH_COPIES = (1, 8, 16, 32, 64)
# opset 17 / IR 8: old enough for any onnxruntime of the last few years, new enough for these ops.
OPSET, IR_VERSION = 17, 8

# One parameter per line: triton-server.ts rewrites these lines to apply per-server overrides.
DEFAULT_PARAMETERS = (("slowdown_us", "0"), ("slowdown_pct", "0"), ("max_batch_limit", "0"))


def make_weights():
    """float32 weights, scaled so activations stay O(1); JSON floats of float32 values are exact."""
    rng = np.random.default_rng(SEED)
    return {
        "w1": (rng.standard_normal((INPUT_DIM, HIDDEN_DIM)) / np.sqrt(INPUT_DIM)).astype(np.float32),
        "b1": (rng.standard_normal(HIDDEN_DIM) * 0.1).astype(np.float32),
        "w2": (rng.standard_normal((HIDDEN_DIM, OUTPUT_DIM)) / np.sqrt(HIDDEN_DIM)).astype(np.float32),
        "b2": (rng.standard_normal(OUTPUT_DIM) * 0.1).astype(np.float32),
    }


def make_onnx(weights):
    initializers = [numpy_helper.from_array(value, name) for name, value in weights.items()]
    nodes = [
        helper.make_node("MatMul", ["input", "w1"], ["h_mm"]),
        helper.make_node("Add", ["h_mm", "b1"], ["h_pre"]),
        helper.make_node("Relu", ["h_pre"], ["h"]),
        helper.make_node("MatMul", ["h", "w2"], ["y_mm"]),
        helper.make_node("Add", ["y_mm", "b2"], ["output"]),
    ]
    graph = helper.make_graph(
        nodes,
        "demo_onnx_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", INPUT_DIM])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", OUTPUT_DIM])],
        initializer=initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="triton-throughput-gate"
    )
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


def config_pbtxt(name, max_batch, tensor_in, tensor_out):
    lines = [
        f'name: "{name}"',
        'backend: "python"',
        f"max_batch_size: {max_batch}",
        f'input [ {{ name: "{tensor_in[0]}" data_type: TYPE_FP32 dims: [ {tensor_in[1]} ] }} ]',
        f'output [ {{ name: "{tensor_out[0]}" data_type: TYPE_FP32 dims: [ {tensor_out[1]} ] }} ]',
        "dynamic_batching { }",
        "instance_group [ { kind: KIND_CPU count: 1 } ]",
    ]
    lines += [
        f'parameters {{ key: "{key}" value: {{ string_value: "{value}" }} }}'
        for key, value in DEFAULT_PARAMETERS
    ]
    return "\n".join(lines) + "\n"


def write_model(out, name, source, config, extra_files=()):
    """Writes `name`/config.pbtxt and version 1; `source` None: no model.py (an ensemble)."""
    version_dir = out / name / "1"
    version_dir.mkdir(parents=True)
    (out / name / "config.pbtxt").write_text(config)
    if source is None:
        return
    shutil.copyfile(MODELS_DIR / source / "model.py", version_dir / "model.py")
    shutil.copyfile(MODELS_DIR / "common" / "model_params.py", version_dir / "model_params.py")
    for file_name, data in extra_files:
        (version_dir / file_name).write_bytes(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="repository directory to create")
    out = parser.parse_args().out
    if out.exists():
        sys.exit(f"make_repo.py: {out} already exists; remove it first")

    weights = make_weights()
    onnx_bytes = make_onnx(weights).SerializeToString()
    onnx_io = (("input", INPUT_DIM), ("output", OUTPUT_DIM))

    write_model(out, "demo_onnx", "demo_onnx", config_pbtxt("demo_onnx", MAX_BATCH, *onnx_io),
                [("model.onnx", onnx_bytes)])
    (out / "demo_onnx" / "weights.json").write_text(
        json.dumps({name: value.tolist() for name, value in weights.items()}, separators=(",", ":"))
    )
    for max_batch in PER_MAX_BATCH_COPIES:
        name = f"demo_onnx_mb{max_batch}"
        write_model(out, name, "demo_onnx", config_pbtxt(name, max_batch, *onnx_io),
                    [("model.onnx", onnx_bytes)])
    write_model(out, "identity", "identity",
                config_pbtxt("identity", MAX_BATCH, ("INPUT0", IDENTITY_DIM), ("OUTPUT0", IDENTITY_DIM)))
    write_model(out, "large_output", "large_output",
                config_pbtxt("large_output", LARGE_OUTPUT_MAX_BATCH, ("INPUT0", 1), ("OUTPUT0", LARGE_OUTPUT_DIM)))
    for name, source, config in model_kinds():
        write_model(out, name, source, config)


if __name__ == "__main__":
    main()
