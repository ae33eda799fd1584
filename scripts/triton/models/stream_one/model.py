"""stream_one: a decoupled (streaming) echo, OUTPUT0 = INPUT0, one response per request.

The one response carries the final flag, so a streaming client sees exactly one message per
request and no empty final. It is the decoupled twin of `identity`: client cost per response on
a stream against client cost per request on unary calls.
"""

import json
import time

import triton_python_backend_utils as pb_utils

from model_params import read_params


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        if not pb_utils.using_decoupled_model_transaction_policy(config):
            raise ValueError(f"{args['model_name']}: expected model_transaction_policy {{ decoupled: true }}")
        self._params = read_params(args["model_name"], config)

    def execute(self, requests):
        started_s = time.perf_counter()
        for request in requests:
            value = pb_utils.get_input_tensor_by_name(request, "INPUT0").as_numpy()
            response = pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("OUTPUT0", value)])
            request.get_response_sender().send(response, flags=pb_utils.TRITONSERVER_RESPONSE_COMPLETE_FINAL)
        self._params.pace(time.perf_counter() - started_s)
        return None
