"""sequence_sum: a stateful model under Triton's sequence batcher that checks the protocol.

Per correlation ID it keeps the running sum of INPUT (INT32 [1]) and returns it as OUTPUT, so
step k of a sequence of ones answers k. It reads the control inputs Triton fills in (START,
END, READY and CORRID; sequence_batching.control_input in the config) and fails a request with
an error response when the client broke the protocol as far as the model can see:
  - a request of an ID that has no open sequence and no START flag (never started, or already
    ended);
  - a correlation ID that is missing, 0 or empty, or not of the type the model expects.
READY = 0 marks a batch slot without a request (Direct strategy); it gets a zero answer and
touches no state.

sequence_steps (parameter expect_steps "1") also checks the data steps arrive in order: the
request at position k of a sequence (0-based) must carry INPUT k + 1, as an input-data file of
steps 1, 2, 3, ... gives when its steps are replayed in order within each sequence.

sequence_sum_str takes string correlation IDs (parameter string_ids "1"). It has no CORRID
control: Triton 2.51 cannot fill a TYPE_STRING CORRID control (every request fails with
"unexpected number of string elements 2 for inference input 'CORRID', expecting 1"), so the
model reads the ID with the python backend's request.correlation_id().
"""

import json
import time

import numpy as np
import triton_python_backend_utils as pb_utils

from model_params import read_params


def _scalar(request, name):
    tensor = pb_utils.get_input_tensor_by_name(request, name)
    if tensor is None:
        return None
    value = tensor.as_numpy().flat[0]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value.item()


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        if "sequence_batching" not in config:
            raise ValueError(f"{args['model_name']}: expected a sequence_batching config")
        self._params = read_params(args["model_name"], config)
        entry = (config.get("parameters") or {}).get("string_ids") or {}
        self._id_type = str if entry.get("string_value") == "1" else int
        steps = (config.get("parameters") or {}).get("expect_steps") or {}
        self._expect_steps = steps.get("string_value") == "1"
        self._sums = {}
        self._positions = {}

    def execute(self, requests):
        started_s = time.perf_counter()
        responses = [self._step(request) for request in requests]
        self._params.pace(time.perf_counter() - started_s)
        return responses

    def _step(self, request):
        value = pb_utils.get_input_tensor_by_name(request, "INPUT").as_numpy()
        if _scalar(request, "READY") == 0:
            return pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("OUTPUT", np.zeros_like(value))])
        corrid = _scalar(request, "CORRID")
        if corrid is None:
            corrid = request.correlation_id()
        if corrid in (None, 0, "") or not isinstance(corrid, self._id_type):
            expected = "a non-empty string" if self._id_type is str else "a non-zero integer"
            return _error(f"correlation ID is {corrid!r}, expected {expected}")
        if _scalar(request, "START") == 1:
            self._sums[corrid] = 0
            self._positions[corrid] = 0
        elif corrid not in self._sums:
            return _error(f"sequence {corrid}: request without START and no open sequence of that ID")
        position = self._positions[corrid]
        self._positions[corrid] = position + 1
        if self._expect_steps and int(value.flat[0]) != position + 1:
            del self._sums[corrid]
            return _error(f"sequence {corrid}: step {position} carries {int(value.flat[0])}, expected {position + 1}")
        total = self._sums[corrid] + int(value.flat[0])
        self._sums[corrid] = total
        if _scalar(request, "END") == 1:
            del self._sums[corrid]
            del self._positions[corrid]
        output = np.full(value.shape, total, dtype=np.int32)
        return pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("OUTPUT", output)])


def _error(message):
    return pb_utils.InferenceResponse(error=pb_utils.TritonError(message))
