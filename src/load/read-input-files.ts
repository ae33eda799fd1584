/**
 * Reads the JSON data files named by `inputs` overrides (the I/O edge of request building).
 * A missing, oversized, non-regular or malformed file is a ConfigError naming the input, before
 * any load is sent. The size is checked before reading (`{file: /dev/zero}` never streams), and
 * no message quotes the file's content: a data file may hold anything, secrets included.
 */
import { open, stat } from 'node:fs/promises';
import type { MatrixConfig } from '../config/config.js';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { Input } from '../config/inputs.js';
import { errorMessage } from '../error-message.js';

/** Largest data file read: far above one item of any model input, far below the runner's memory. */
export const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

const NOT_REGULAR = 'not a regular file (a device, FIFO or directory cannot be a data file)';

/**
 * perf_analyzer's `--input-data` also takes a directory of raw files, one per input; a user
 * coming from it is told that only its JSON format is read here, and what that looks like.
 */
const INPUT_DATA_DIRECTORY =
  'a directory: perf_analyzer\'s directory of one file per input is not read, give its data as one JSON file ({"data": [{"INPUT": [...]}]})';

/** Reads one data file; rejects with a message that never contains the file's bytes. */
async function readDataFile(path: string, directoryMessage: string): Promise<unknown> {
  // stat before open: opening a FIFO for reading blocks until a writer appears.
  const found = await stat(path);
  if (found.isDirectory()) throw new Error(directoryMessage);
  if (!found.isFile()) throw new Error(NOT_REGULAR);
  const handle = await open(path, 'r');
  let text: string;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(NOT_REGULAR);
    if (info.size > MAX_INPUT_FILE_BYTES)
      throw new Error(
        `${info.size} bytes, more than the ${MAX_INPUT_FILE_BYTES / 1024 / 1024} MiB a data file may have`,
      );
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err: unknown) {
    // V8's message quotes the text around the error; keep only where it is.
    const position = /position (\d+)/.exec(errorMessage(err))?.[1];
    throw new Error(
      `not valid JSON${position === undefined ? '' : ` (at character ${position})`}; the content is not shown`,
      { cause: err },
    );
  }
}

/** Parsed JSON of every data file, by path: `{file}` sources in `inputs` and an `input-data` file. */
export async function readInputFiles(matrix: MatrixConfig): Promise<ReadonlyMap<string, unknown>> {
  const files = new Map<string, unknown>();
  const issues: ConfigIssue[] = [];
  const sources: { input: string; value: string; file: string }[] = matrix.inputs.flatMap((input) =>
    input.data !== undefined && typeof input.data !== 'string'
      ? [{ input: Input.inputs, value: `${input.name}: ${input.data.file}`, file: input.data.file }]
      : [],
  );
  if (typeof matrix.inputData !== 'string') {
    const file = matrix.inputData.file;
    sources.push({ input: Input.inputData, value: file, file });
  }
  for (const source of sources) {
    if (files.has(source.file)) continue;
    try {
      const directoryMessage = source.input === Input.inputData ? INPUT_DATA_DIRECTORY : NOT_REGULAR;
      files.set(source.file, await readDataFile(source.file, directoryMessage));
    } catch (err: unknown) {
      const expected =
        source.input === Input.inputData
          ? "random, zeros, or a readable JSON file in perf_analyzer's --input-data format"
          : 'a readable JSON file';
      issues.push({ input: source.input, value: source.value, expected, hint: errorMessage(err) });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return files;
}
