/**
 * Pure: the parameters of a RepositoryModelLoad that serves a model from files sent in the
 * request instead of the server's repository (Triton's model-repository extension: a `config`
 * string parameter with the model config as JSON, plus one `file:<path>` bytes parameter per
 * file, the path relative to the model's directory, e.g. `file:1/model.onnx`). Checked on
 * Triton 2.51 with a python-backend model (docs/paired.md, "Zero-config base").
 */
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ModelRepositoryParameterSchema } from '../gen/grpc_service_pb.js';

/** One file of a model directory. */
export interface ModelFile {
  /** Relative to the model's directory, '/'-separated (`1/model.onnx`, `labels.txt`). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** What a load with file overrides sends. */
export interface FileOverrideLoad {
  /** The whole model config as Triton's JSON (config-override rules: docs/real-triton.md). */
  readonly configJson: string;
  readonly files: readonly ModelFile[];
}

type Parameter = MessageInitShape<typeof ModelRepositoryParameterSchema>;

/**
 * The request's `parameters` map. Throws (a bug: paths come from git's own listing) for a path
 * Triton would resolve outside the model directory, a duplicate, or `config.pbtxt`, which the
 * `config` parameter replaces.
 */
export function fileOverrideParameters(load: FileOverrideLoad): Record<string, Parameter> {
  const parameters: Record<string, Parameter> = {
    config: { parameterChoice: { case: 'stringParam', value: load.configJson } },
  };
  for (const file of load.files) {
    checkPath(file.path);
    const key = `file:${file.path}`;
    if (key in parameters) throw new Error(`file override '${file.path}' appears twice`);
    parameters[key] = { parameterChoice: { case: 'bytesParam', value: file.bytes } };
  }
  return parameters;
}

function checkPath(path: string): void {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`file override '${path}' is not a plain relative path inside the model directory`);
  }
  if (path === 'config.pbtxt') throw new Error("file override 'config.pbtxt' would compete with the config parameter");
}

/** Total bytes of `files` (what the load request carries besides the config). */
export function totalBytes(files: readonly ModelFile[]): number {
  return files.reduce((sum, file) => sum + file.bytes.byteLength, 0);
}
