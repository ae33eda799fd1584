/**
 * The JSON file sink: the RunResult (the public format, see docs/baseline-store.md) in a file.
 * Writes are atomic (a temp file in the same directory, then a rename): a full disk or a crash
 * leaves the old file or none, never a partial or empty one, and the sink fails so the run does.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../baseline/write-file-atomic.js';
import type { PipelineResult, Sink } from '../pipeline.js';

/** Writes `text` to `path` atomically, creating its directories (outputs and files the Action leaves). */
export async function writeTextFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text);
}

/** Writes the RunResult JSON (pretty, newline-terminated) to `path` atomically, creating directories. */
async function writeRunJson(path: string, result: PipelineResult['run']): Promise<void> {
  await writeTextFile(
    path,
    `${JSON.stringify(result, null, 2)}
`,
  );
}

/** A sink that writes the run JSON to `path`; a write the user asked for (`out`), so a failure fails the run. */
export function createJsonFileSink(path: string): Sink {
  return { name: `the result file ${path}`, isRequired: true, publish: (result) => writeRunJson(path, result.run) };
}
