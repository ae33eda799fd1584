"""optional_input: OUTPUT0 = INPUT0 + OPTIONAL0, where OPTIONAL0 is an optional input.

HAS_OPTIONAL (INT32 [1]) is 1 when the request carried OPTIONAL0, else 0 (and OUTPUT0 =
INPUT0), so a client can check that an optional input was sent or left out.
"""

import json
import time

import numpy as np
import triton_python_backend_utils as pb_utils

from model_params import read_params


class TritonPythonModel:
    def initialize(self, args):
        self._params = read_params(args["model_name"], json.loads(args["model_config"]))

    def execute(self, requests):
        started_s = time.perf_counter()
        responses = []
        for request in requests:
            value = pb_utils.get_input_tensor_by_name(request, "INPUT0").as_numpy()
            optional = pb_utils.get_input_tensor_by_name(request, "OPTIONAL0")
            output = value if optional is None else value + optional.as_numpy()
            has_optional = np.full((value.shape[0], 1), 0 if optional is None else 1, dtype=np.int32)
            responses.append(
                pb_utils.InferenceResponse(
                    output_tensors=[
                        pb_utils.Tensor("OUTPUT0", output.astype(np.float32)),
                        pb_utils.Tensor("HAS_OPTIONAL", has_optional),
                    ]
                )
            )
        self._params.pace(time.perf_counter() - started_s)
        return responses
