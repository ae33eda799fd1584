/** The JSON file sink: the RunResult (the public format, see docs/baseline-store.md) in a file. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PipelineResult, Sink } from '../pipeline.js';

/** Writes `text` to `path`, creating its directories (outputs and files the Action leaves). */
export async function writeTextFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Writes the RunResult JSON (pretty, newline-terminated) to `path`, creating directories. */
async function writeRunJson(path: string, result: PipelineResult['run']): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
}

/** A sink that writes the run JSON to `path`. */
export function createJsonFileSink(path: string): Sink {
  return { name: `json file ${path}`, publish: (result) => writeRunJson(path, result.run) };
}
