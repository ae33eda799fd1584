"""bytes_length: LENGTH[i] = byte length of TEXT[i], for a BYTES (TYPE_STRING) input of any length.

TEXT has a variable dimension (dims [-1]), so a client must say how many strings it sends.
text_length16 (parameter expect_length "16") fails a request holding a string of any other
length: the test of `string-length` sees its strings arrive.
"""

import json
import time

import numpy as np
import triton_python_backend_utils as pb_utils

from model_params import read_params


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        self._params = read_params(args["model_name"], config)
        entry = (config.get("parameters") or {}).get("expect_length") or {}
        self._expect_length = int(entry.get("string_value") or "0")

    def execute(self, requests):
        started_s = time.perf_counter()
        responses = []
        for request in requests:
            text = pb_utils.get_input_tensor_by_name(request, "TEXT").as_numpy()
            lengths = np.vectorize(len, otypes=[np.int32])(text) if text.size > 0 else text.astype(np.int32)
            if self._expect_length > 0 and np.any(lengths != self._expect_length):
                message = f"TEXT lengths {sorted(set(lengths.flat))}, expected {self._expect_length}"
                responses.append(pb_utils.InferenceResponse(error=pb_utils.TritonError(message)))
                continue
            responses.append(pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("LENGTH", lengths)]))
        self._params.pace(time.perf_counter() - started_s)
        return responses
