// `.triton/server.json`: the detached server of `npm run triton:start`, for `triton:stop`.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tritonStateDir } from './triton-install.js';

/** Path of the record file. */
export const serverRecordFile: string = path.join(tritonStateDir, 'server.json');

/** What triton:start leaves behind so another process can find and stop the server. */
export interface ServerRecord {
  readonly pid: number;
  readonly version: string;
  readonly grpcUrl: string;
  readonly httpUrl: string;
  readonly metricsUrl: string;
  readonly models: readonly string[];
  readonly runDir: string;
  readonly logFile: string;
  readonly repoDir: string;
  readonly shmRegionPrefix: string;
  readonly startMs: number;
  /** ISO 8601 time the server became ready. */
  readonly readyAt: string;
}

/** The record, or undefined when there is none; throws when the file is not a record. */
export function readServerRecord(): ServerRecord | undefined {
  let text: string;
  try {
    text = readFileSync(serverRecordFile, 'utf8');
  } catch {
    return undefined;
  }
  const record = JSON.parse(text) as Partial<ServerRecord>;
  if (typeof record.pid !== 'number' || typeof record.grpcUrl !== 'string') {
    throw new Error(`${serverRecordFile}: expected a JSON object with pid and grpcUrl; remove it if no server runs`);
  }
  return record as ServerRecord;
}

export function writeServerRecord(record: ServerRecord): void {
  writeFileSync(serverRecordFile, `${JSON.stringify(record, null, 2)}\n`);
}

export function removeServerRecord(): void {
  rmSync(serverRecordFile, { force: true });
}
