"""identity: OUTPUT0 = INPUT0, with as little server-side work as the python backend allows.

It exists to benchmark the client: with the server doing next to nothing, throughput is bounded
by the load generator and the transport, so client regressions show up undiluted.
"""

import json
import time

import triton_python_backend_utils as pb_utils

from model_params import read_params


class TritonPythonModel:
    def initialize(self, args):
        self._params = read_params(args["model_name"], json.loads(args["model_config"]))

    def execute(self, requests):
        started_s = time.perf_counter()
        responses = [
            pb_utils.InferenceResponse(
                output_tensors=[
                    pb_utils.Tensor("OUTPUT0", pb_utils.get_input_tensor_by_name(r, "INPUT0").as_numpy())
                ]
            )
            for r in requests
        ]
        self._params.pace(time.perf_counter() - started_s)
        return responses
