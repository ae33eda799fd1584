"""The configs of the test repository's models of every kind (issue 19), used by make_repo.py.

Each entry is (name, source folder under models/, config.pbtxt text). All are python-backend
models on one KIND_CPU instance, cheap enough for a 2-core runner, and none is loaded at
startup: tests load what they use (explicit model-control mode) and unload it after.

  stream_one          decoupled; INPUT0 FP32 [16] -> OUTPUT0, one response with the final flag
  stream_tokens       decoupled; COUNT INT32 [1] -> COUNT responses of TOKEN INT32 [1], then an
                      empty final (COUNT 0: the empty final only)
  sequence_sum        sequence batcher (Direct, 4 slots); INPUT INT32 [1] -> running sum; control
                      inputs START, END, READY (INT32) and CORRID (UINT64)
  sequence_sum_str    the same with string correlation IDs (no CORRID control: see its model.py)
  sequence_steps      sequence_sum that fails a request whose INPUT is not its position + 1
  nobatch_identity    identity with max_batch_size 0 and no dynamic batcher
  ensemble_two_step   ensemble: ensemble_scale (x * 2) then ensemble_offset (x + 1), max_batch 8
  bls_caller          max_batch_size 0; calls bls_target (identity, max_batch_size 0) from execute
  optional_input      INPUT0 + optional OPTIONAL0 (FP32 [16]) -> OUTPUT0, HAS_OPTIONAL
  bytes_length        TEXT BYTES [-1] -> LENGTH INT32 [-1]
  text_length16      bytes_length that fails a request holding a string not 16 bytes long
  half_types          INPUT_FP16 FP16 [16], INPUT_BF16 BF16 [16] -> OUTPUT0 FP32 [16]
  image_fp32          INPUT FP32 [3, 224, 224] (NCHW) -> MEAN FP32 [3]
"""

# Every model carries the shared parameters (models/common/model_params.py), one per line, so
# triton-server.ts can override them per server as for the demo models.
DEFAULT_PARAMETERS = (("slowdown_us", "0"), ("slowdown_pct", "0"), ("max_batch_limit", "0"))
CPU_INSTANCE = "instance_group [ { kind: KIND_CPU count: 1 } ]"
DECOUPLED = "model_transaction_policy { decoupled: true }"


def tensor(name, data_type, dims, optional=False):
    """One `input`/`output` entry."""
    extra = " optional: true" if optional else ""
    return f'{{ name: "{name}" data_type: {data_type} dims: [ {", ".join(str(d) for d in dims)} ]{extra} }}'


def config(name, max_batch, inputs, outputs, *, extra=(), backend="python", parameters=()):
    """config.pbtxt text; `extra` lines go between the tensors and the parameters."""
    lines = [f'name: "{name}"']
    lines.append(f'platform: "{backend}"' if backend == "ensemble" else f'backend: "{backend}"')
    lines.append(f"max_batch_size: {max_batch}")
    lines.append(f"input [ {', '.join(inputs)} ]")
    lines.append(f"output [ {', '.join(outputs)} ]")
    lines.extend(extra)
    if backend != "ensemble":
        lines.append(CPU_INSTANCE)
        lines += [
            f'parameters {{ key: "{key}" value: {{ string_value: "{value}" }} }}'
            for key, value in (*DEFAULT_PARAMETERS, *parameters)
        ]
    return "\n".join(lines) + "\n"


def control(name, kind, data_type):
    """One sequence_batching control_input: a CONTROL_SEQUENCE_* tensor Triton fills in."""
    if kind == "CONTROL_SEQUENCE_CORRID":
        value = f"data_type: {data_type}"
    else:
        value = "int32_false_true: [ 0, 1 ]"
    return f'{{ name: "{name}" control [ {{ kind: {kind} {value} }} ] }}'


def sequence_batching(corrid_type):
    """Direct strategy with START, END, READY and, when `corrid_type` is set, CORRID controls."""
    controls = [
        control("START", "CONTROL_SEQUENCE_START", None),
        control("END", "CONTROL_SEQUENCE_END", None),
        control("READY", "CONTROL_SEQUENCE_READY", None),
    ]
    if corrid_type is not None:
        controls.append(control("CORRID", "CONTROL_SEQUENCE_CORRID", corrid_type))
    # Idle sequences are reaped after 5 s (Triton's default is 1 s): long enough that a slow
    # shared runner never reaps a live sequence between two of its requests.
    return f"sequence_batching {{ max_sequence_idle_microseconds: 5000000 control_input [ {', '.join(controls)} ] }}"


def vec16(name):
    """An FP32 [16] tensor, the shape of identity's INPUT0/OUTPUT0."""
    return tensor(name, "TYPE_FP32", [16])


def ensemble_step(model, input_map, output_map):
    ins = " ".join(f'input_map {{ key: "{k}" value: "{v}" }}' for k, v in input_map)
    outs = " ".join(f'output_map {{ key: "{k}" value: "{v}" }}' for k, v in output_map)
    return f'{{ model_name: "{model}" model_version: -1 {ins} {outs} }}'


def model_kinds():
    """(name, source, config text) of every model of this module."""
    dynamic = ("dynamic_batching { }",)
    scale_step = ensemble_step("ensemble_scale", [("INPUT0", "INPUT0")], [("OUTPUT0", "scaled")])
    offset_step = ensemble_step("ensemble_offset", [("INPUT0", "scaled")], [("OUTPUT0", "OUTPUT0")])
    return [
        ("stream_one", "stream_one",
         config("stream_one", 8, [vec16("INPUT0")], [vec16("OUTPUT0")], extra=(*dynamic, DECOUPLED))),
        ("stream_tokens", "stream_tokens",
         config("stream_tokens", 8, [tensor("COUNT", "TYPE_INT32", [1])], [tensor("TOKEN", "TYPE_INT32", [1])],
                extra=(*dynamic, DECOUPLED))),
        ("sequence_sum", "sequence_sum",
         config("sequence_sum", 4, [tensor("INPUT", "TYPE_INT32", [1])], [tensor("OUTPUT", "TYPE_INT32", [1])],
                extra=(sequence_batching("TYPE_UINT64"),))),
        ("sequence_sum_str", "sequence_sum",
         config("sequence_sum_str", 4, [tensor("INPUT", "TYPE_INT32", [1])],
                [tensor("OUTPUT", "TYPE_INT32", [1])], extra=(sequence_batching(None),),
                parameters=(("string_ids", "1"),))),
        ("sequence_steps", "sequence_sum",
         config("sequence_steps", 4, [tensor("INPUT", "TYPE_INT32", [1])], [tensor("OUTPUT", "TYPE_INT32", [1])],
                extra=(sequence_batching("TYPE_UINT64"),), parameters=(("expect_steps", "1"),))),
        ("nobatch_identity", "identity",
         config("nobatch_identity", 0, [vec16("INPUT0")], [vec16("OUTPUT0")])),
        ("ensemble_scale", "affine",
         config("ensemble_scale", 8, [vec16("INPUT0")], [vec16("OUTPUT0")], extra=dynamic,
                parameters=(("scale", "2"), ("offset", "0")))),
        ("ensemble_offset", "affine",
         config("ensemble_offset", 8, [vec16("INPUT0")], [vec16("OUTPUT0")], extra=dynamic,
                parameters=(("scale", "1"), ("offset", "1")))),
        ("ensemble_two_step", None,
         config("ensemble_two_step", 8, [vec16("INPUT0")], [vec16("OUTPUT0")], backend="ensemble",
                extra=(f"ensemble_scheduling {{ step [ {scale_step}, {offset_step} ] }}",))),
        ("bls_target", "identity", config("bls_target", 0, [vec16("INPUT0")], [vec16("OUTPUT0")])),
        ("bls_caller", "bls_caller", config("bls_caller", 0, [vec16("INPUT0")], [vec16("OUTPUT0")])),
        ("optional_input", "optional_input",
         config("optional_input", 8, [vec16("INPUT0"), tensor("OPTIONAL0", "TYPE_FP32", [16], optional=True)],
                [vec16("OUTPUT0"), tensor("HAS_OPTIONAL", "TYPE_INT32", [1])], extra=dynamic)),
        ("bytes_length", "bytes_length",
         config("bytes_length", 8, [tensor("TEXT", "TYPE_STRING", [-1])], [tensor("LENGTH", "TYPE_INT32", [-1])],
                extra=dynamic)),
        ("text_length16", "bytes_length",
         config("text_length16", 8, [tensor("TEXT", "TYPE_STRING", [-1])], [tensor("LENGTH", "TYPE_INT32", [-1])],
                extra=dynamic, parameters=(("expect_length", "16"),))),
        ("half_types", "half_types",
         config("half_types", 8, [tensor("INPUT_FP16", "TYPE_FP16", [16]), tensor("INPUT_BF16", "TYPE_BF16", [16])],
                [vec16("OUTPUT0")], extra=dynamic)),
        ("image_fp32", "image_fp32",
         config("image_fp32", 8, [tensor("INPUT", "TYPE_FP32", [3, 224, 224])], [tensor("MEAN", "TYPE_FP32", [3])],
                extra=dynamic)),
    ]
