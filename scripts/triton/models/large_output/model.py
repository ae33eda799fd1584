"""large_output: OUTPUT0 = INPUT0 repeated to 65,536 FP32 values (256 KiB per item).

It exists to test the client's receive path with replies far larger than one HTTP/2 frame or
window (many DATA frames, WINDOW_UPDATEs) while the server does next to nothing.
"""

import json

import numpy as np
import triton_python_backend_utils as pb_utils

from model_params import read_params

OUTPUT_DIM = 65536


class TritonPythonModel:
    def initialize(self, args):
        self._params = read_params(args["model_name"], json.loads(args["model_config"]))

    def execute(self, requests):
        responses = []
        for request in requests:
            value = pb_utils.get_input_tensor_by_name(request, "INPUT0").as_numpy()
            output = np.repeat(value, OUTPUT_DIM, axis=1).astype(np.float32)
            responses.append(pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("OUTPUT0", output)]))
        return responses
