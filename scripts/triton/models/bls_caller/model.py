"""bls_caller: business-logic scripting, OUTPUT0 = bls_target(INPUT0) + 1.

Every request makes one synchronous inference call on `bls_target` from inside execute() (the
python backend's BLS API), so a load on bls_caller puts the same request count on bls_target;
both must be loaded (explicit mode loads no dependency for a BLS model).
"""

import json
import time

import numpy as np
import triton_python_backend_utils as pb_utils

from model_params import read_params

TARGET = "bls_target"


class TritonPythonModel:
    def initialize(self, args):
        self._params = read_params(args["model_name"], json.loads(args["model_config"]))

    def execute(self, requests):
        started_s = time.perf_counter()
        responses = [self._call(request) for request in requests]
        self._params.pace(time.perf_counter() - started_s)
        return responses

    def _call(self, request):
        value = pb_utils.get_input_tensor_by_name(request, "INPUT0").as_numpy()
        inner = pb_utils.InferenceRequest(
            model_name=TARGET,
            requested_output_names=["OUTPUT0"],
            inputs=[pb_utils.Tensor("INPUT0", value)],
        ).exec()
        if inner.has_error():
            message = f"{TARGET} failed: {inner.error().message()}"
            return pb_utils.InferenceResponse(error=pb_utils.TritonError(message))
        output = pb_utils.get_output_tensor_by_name(inner, "OUTPUT0").as_numpy() + np.float32(1)
        return pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("OUTPUT0", output.astype(np.float32))])
