"""image_fp32: MEAN = per-channel mean of an NCHW image, INPUT FP32 [3, 224, 224] (588 KiB per item).

A large request with a trivial reply: it exercises the client's send path for requests far
larger than one HTTP/2 frame or window, while the server does little (one numpy mean).
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
            image = pb_utils.get_input_tensor_by_name(request, "INPUT").as_numpy()
            mean = image.mean(axis=(2, 3), dtype=np.float64).astype(np.float32)
            responses.append(pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("MEAN", mean)]))
        self._params.pace(time.perf_counter() - started_s)
        return responses
