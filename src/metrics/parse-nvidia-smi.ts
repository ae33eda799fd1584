/**
 * Reads the GPUs of the runner from `nvidia-smi --query-gpu=name,driver_version,uuid
 * --format=csv,noheader` (docs/baseline-store.md#fingerprint), and keeps those that serve the
 * run. Pure: the text comes from read-runner-gpus.ts.
 */

/** One GPU as nvidia-smi lists it. */
export interface RunnerGpu {
  /** Model name, e.g. `NVIDIA A100-SXM4-80GB`. */
  readonly name: string;
  /** Driver version, e.g. `535.104.05`. */
  readonly driver: string;
  /** `GPU-…` (or `MIG-…`), the id Triton's metrics carry in their `gpu_uuid` label. */
  readonly uuid: string;
}

// A driver version is dotted digits; anything else (`[N/A]`, an error text) is not a GPU line.
const DRIVER = /^\d+(\.\d+)+$/;
const UUID = /^(GPU|MIG)-[0-9A-Za-z-]+$/;
/** Longest name kept: real names are ~30 characters; the text is untrusted output. */
const MAX_NAME_CHARS = 100;

/**
 * The GPUs in `text`, in nvidia-smi's order. A line is `name, driver, uuid`; the name is
 * everything before the last two fields, so a comma in a name cannot shift them. Lines that do
 * not have that shape (warnings, `No devices were found`, `[N/A]` fields) are skipped, so
 * garbage yields `[]`, never an error.
 */
export function parseNvidiaSmiGpus(text: string): RunnerGpu[] {
  const gpus: RunnerGpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.split(',').map((field) => field.trim());
    if (fields.length < 3) continue;
    const uuid = fields.at(-1) ?? '';
    const driver = fields.at(-2) ?? '';
    const name = fields.slice(0, -2).join(', ');
    if (name === '' || name.length > MAX_NAME_CHARS || !DRIVER.test(driver) || !UUID.test(uuid)) continue;
    gpus.push({ name, driver, uuid });
  }
  return gpus;
}

/** What the fingerprint records of the GPUs (run-result.ts `gpuNames`, `gpuDriver`). */
export interface GpuFingerprint {
  readonly gpuNames?: string[];
  readonly gpuDriver?: string;
}

/**
 * The fingerprint of the runner's GPUs that serve the run. When Triton's metrics named its
 * GPUs (`serverUuids`), only those count: the runner may have GPUs the server does not use
 * (`CUDA_VISIBLE_DEVICES`), and a server on another machine shares none, so then nothing is
 * recorded rather than the wrong card. Without `serverUuids` every runner GPU counts (the server
 * is assumed local). Drivers are listed once each, in order (normally one).
 */
export function gpuFingerprintOf(runnerGpus: readonly RunnerGpu[], serverUuids: readonly string[]): GpuFingerprint {
  const wanted = new Set(serverUuids.map((uuid) => uuid.toLowerCase()));
  const serving = wanted.size === 0 ? runnerGpus : runnerGpus.filter((gpu) => wanted.has(gpu.uuid.toLowerCase()));
  if (serving.length === 0) return {};
  return {
    gpuNames: serving.map((gpu) => gpu.name),
    gpuDriver: [...new Set(serving.map((gpu) => gpu.driver))].join(', '),
  };
}
