"""half_types: FP16 and BF16 inputs. OUTPUT0 (FP32 [16]) = INPUT_FP16 as FP32.

The python backend cannot hand a BF16 tensor to numpy (as_numpy raises "Tensor dtype is BF16
and cannot be converted to NumPy. Use to_dlpack() and from_dlpack() instead", and numpy has no
bfloat16 to take it through DLPack), so the model checks only that INPUT_BF16 came with the
same shape as INPUT_FP16: a client that sends both raw tensors gets an answer, one that
mislabels or drops the BF16 input an error.
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
        responses = [self._answer(request) for request in requests]
        self._params.pace(time.perf_counter() - started_s)
        return responses

    def _answer(self, request):
        half = pb_utils.get_input_tensor_by_name(request, "INPUT_FP16").as_numpy()
        bf16 = pb_utils.get_input_tensor_by_name(request, "INPUT_BF16")
        if bf16 is None or list(bf16.shape()) != list(half.shape):
            shape = None if bf16 is None else list(bf16.shape())
            message = f"INPUT_BF16 has shape {shape}, expected {list(half.shape)} like INPUT_FP16"
            return pb_utils.InferenceResponse(error=pb_utils.TritonError(message))
        output = half.astype(np.float32)
        return pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("OUTPUT0", output)])
