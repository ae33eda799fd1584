"""demo_onnx: a small ONNX MLP (64 -> 256 Relu -> 10) run by onnxruntime on CPU.

Stands in for a real accelerator model: Triton's dynamic batcher forms the batch, and the whole
batch goes through one session.run, so max_batch_size changes what one execution costs.
"""

import json
import os
import time

import numpy as np
import onnxruntime as ort
import triton_python_backend_utils as pb_utils

from model_params import read_params


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        self._params = read_params(args["model_name"], config)
        options = ort.SessionOptions()
        # One thread each: on a 2-core runner the load generator needs the other core, and
        # onnxruntime's default (one thread per core, spinning) would fight it for the CPU.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        path = os.path.join(args["model_repository"], args["model_version"], "model.onnx")
        self._session = ort.InferenceSession(
            path, sess_options=options, providers=["CPUExecutionProvider"]
        )

    def execute(self, requests):
        started_s = time.perf_counter()
        inputs = [pb_utils.get_input_tensor_by_name(r, "input").as_numpy() for r in requests]
        batch = inputs[0] if len(inputs) == 1 else np.concatenate(inputs, axis=0)
        (output,) = self._session.run(["output"], {"input": batch})
        bounds = np.cumsum([x.shape[0] for x in inputs])[:-1]
        responses = [
            pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("output", part)])
            for part in np.split(output, bounds)
        ]
        self._params.pace(time.perf_counter() - started_s)
        return responses
