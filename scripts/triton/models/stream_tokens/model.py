"""stream_tokens: a decoupled (streaming) model that answers like a token generator.

Input COUNT (INT32 [1]) says how many responses the request gets: response i (0-based) carries
TOKEN = i. After them the model sends the final flag alone, with no response attached, so a
client that opted in (`triton_enable_empty_final_response`) receives an empty final response;
COUNT 0 gives a request whose only message is that empty final. The count is the input, so a
test knows exactly how many responses the model sent (Triton's statistics count requests only).
A COUNT below 0 or above MAX_COUNT gets an error response (with the final flag).

With a batch of B items in one request, every response carries B tokens and COUNT of the first
item decides the count.
"""

import json
import time

import numpy as np
import triton_python_backend_utils as pb_utils

from model_params import read_params

MAX_COUNT = 10_000
FINAL = pb_utils.TRITONSERVER_RESPONSE_COMPLETE_FINAL


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        if not pb_utils.using_decoupled_model_transaction_policy(config):
            raise ValueError(f"{args['model_name']}: expected model_transaction_policy {{ decoupled: true }}")
        self._params = read_params(args["model_name"], config)

    def execute(self, requests):
        started_s = time.perf_counter()
        for request in requests:
            sender = request.get_response_sender()
            counts = pb_utils.get_input_tensor_by_name(request, "COUNT").as_numpy()
            count = int(counts.flat[0])
            if count < 0 or count > MAX_COUNT:
                error = pb_utils.TritonError(f"COUNT is {count}, expected 0..{MAX_COUNT}")
                sender.send(pb_utils.InferenceResponse(error=error), flags=FINAL)
                continue
            for index in range(count):
                token = np.full(counts.shape, index, dtype=np.int32)
                sender.send(pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("TOKEN", token)]))
            sender.send(flags=FINAL)
        self._params.pace(time.perf_counter() - started_s)
        return None
