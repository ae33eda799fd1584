/**
 * Reads the JSON data files named by `inputs` overrides (the I/O edge of request building).
 * A missing or malformed file is a ConfigError naming the input, before any load is sent.
 */
import { readFile } from 'node:fs/promises';
import type { MatrixConfig } from '../config/config.js';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { errorMessage } from '../error-message.js';

/** Parsed JSON of every `{file}` data source in `inputs`, by path. */
export async function readInputFiles(matrix: MatrixConfig): Promise<ReadonlyMap<string, unknown>> {
  const files = new Map<string, unknown>();
  const issues: ConfigIssue[] = [];
  for (const input of matrix.inputs) {
    const data = input.data;
    if (data === undefined || typeof data === 'string' || files.has(data.file)) continue;
    try {
      files.set(data.file, JSON.parse(await readFile(data.file, 'utf8')) as unknown);
    } catch (err: unknown) {
      issues.push({ input: 'inputs', value: `${input.name}: ${data.file}`, expected: 'a readable JSON file', hint: errorMessage(err) });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return files;
}
