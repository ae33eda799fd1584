"""affine: OUTPUT0 = INPUT0 * scale + offset, with `scale` and `offset` from config parameters.

The two steps of the `ensemble_two_step` ensemble (ensemble_scale: x * 2, ensemble_offset:
x + 1), so the ensemble answers 2x + 1 and a test can tell both steps ran.
"""

import json
import time

import numpy as np
import triton_python_backend_utils as pb_utils

from model_params import read_params


def _float_parameter(config, key):
    entry = (config.get("parameters") or {}).get(key)
    raw = entry.get("string_value", "") if isinstance(entry, dict) else ""
    try:
        return float(raw)
    except ValueError as err:
        raise ValueError(f"{config.get('name')}: parameter {key} is '{raw}', expected a number") from err


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        self._params = read_params(args["model_name"], config)
        self._scale = np.float32(_float_parameter(config, "scale"))
        self._offset = np.float32(_float_parameter(config, "offset"))

    def execute(self, requests):
        started_s = time.perf_counter()
        responses = []
        for request in requests:
            value = pb_utils.get_input_tensor_by_name(request, "INPUT0").as_numpy()
            output = (value * self._scale + self._offset).astype(np.float32)
            responses.append(pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("OUTPUT0", output)]))
        self._params.pace(time.perf_counter() - started_s)
        return responses
