/**
 * The versioned result of one matrix run (docs/architecture.md#measurement). It is the public file format users'
 * scripts read and the baseline store keeps, so its core is stable:
 * `{schemaVersion, environment, cells: [{maxBatch, users, status, trials: [{requests, items,
 * seconds, dps, errors}], latencyMs: {p50, p90, p99}, server: {avgBatch}}]}`.
 * Add fields freely; rename or remove nothing without bumping `RUN_RESULT_SCHEMA_VERSION`.
 */

/** Bumped only when a field of the stable core is renamed, removed or changes meaning. */
export const RUN_RESULT_SCHEMA_VERSION = 1;

/** What must match for two runs to be compared (docs/statistics.md). */
export interface Environment {
  /** Triton's ServerMetadata version, e.g. `2.51.0`. */
  readonly tritonVersion: string;
  readonly model: string;
  /** Version actually served (from ModelMetadata), e.g. `1`. */
  readonly modelVersion: string;
  /** sha256 (hex, 16 chars) of the model's original config with volatile fields removed. */
  readonly configHash: string;
  /** Host name of the machine that ran the client. */
  readonly clientHost: string;
  /** Runner label or GPU name when known (`RUNNER_NAME`, user `environment-label`). */
  readonly label: string;
}

/** How the cells were measured; part of the comparison key (different methods never compare). */
export interface Method {
  readonly batchStrategy: string;
  readonly requests: number;
  readonly itemsPerRequest: number;
  readonly trials: number;
  /** Warm-up requests per cell, or `null` for the default `max(32, 2 × users)`. */
  readonly warmupRequests: number | null;
  /** Description of every input tensor sent: `name:DATATYPE[shape]:data`. */
  readonly inputs: readonly string[];
}

/** Where this run comes from (filled by the edge; all fields optional outside CI). */
export interface Source {
  readonly sha?: string;
  readonly ref?: string;
  /** `push`, `pull_request`, `schedule`, `cli`, ... */
  readonly event?: string;
  readonly baseSha?: string;
  readonly prNumber?: number;
}

/** Latency percentiles in milliseconds (from an HDR histogram, 3 significant digits). */
export interface LatencyMs {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** One measurement of a cell: R requests over U users, first send to last reply. */
export interface Trial {
  /** Requests sent (ok + failed). */
  readonly requests: number;
  /** Data items carried by successful requests (`ok × itemsPerRequest`). */
  readonly items: number;
  /** Wall time of the trial in seconds (monotonic clock). */
  readonly seconds: number;
  /** Data items per second: `items / seconds`. */
  readonly dps: number;
  /** Successful requests per second. */
  readonly rps: number;
  /** Failed requests; a trial with errors is recorded but never summarised. */
  readonly errors: number;
  /** Failed requests by gRPC status name (`UNAVAILABLE`, `DEADLINE_EXCEEDED`, ...). */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  /** First error message seen, if any (server text, untrusted). */
  readonly firstError?: string;
  readonly latencyMs: LatencyMs;
  /** 0-based position of this trial in the run's randomised order. */
  readonly order: number;
}

/** Triton's own view of a cell: deltas of ModelStatistics around the cell's trials. */
export interface ServerStats {
  /** Δinference_count / Δexecution_count: the batch the dynamic batcher actually formed. */
  readonly avgBatch: number;
  readonly inferenceCount: number;
  readonly executionCount: number;
  /** Δsuccess.count (requests). */
  readonly successCount: number;
  /** Average queue time per request, µs. */
  readonly queueUs: number;
  /** Average compute (input + infer + output) per request, µs. */
  readonly computeUs: number;
  /** Average compute_infer per request, µs. */
  readonly computeInferUs: number;
  /** Executions per batch size: `{ "8": 120, "3": 4 }`. */
  readonly batchExecutions: Readonly<Record<string, number>>;
}

/** `ok`: every trial succeeded and the cell is stable; `noisy`: still above max CV after
 * re-runs; `failed`: the row did not load or no trial succeeded. */
export type CellStatus = 'ok' | 'noisy' | 'failed';

/** One (max_batch, users) pair. */
export interface Cell {
  readonly maxBatch: number;
  readonly users: number;
  readonly status: CellStatus;
  /** Why the cell failed or is noisy (server text, untrusted). */
  readonly message?: string;
  /** Every trial measured, including failed ones and re-runs. */
  readonly trials: readonly Trial[];
  /** Pooled over the successful trials. */
  readonly latencyMs: LatencyMs;
  /** Median dps over successful trials (0 when none). */
  readonly dpsMedian: number;
  /** Median requests/s over successful trials. */
  readonly rpsMedian: number;
  /** Coefficient of variation of dps over successful trials. */
  readonly cv: number;
  /** Trials added because the cell was unstable. */
  readonly reruns: number;
  /** Absent when statistics were unavailable (e.g. `fixed` on a server without them). */
  readonly server?: ServerStats;
  /** True when the cell was re-measured to confirm a regression. */
  readonly isConfirmation?: boolean;
}

/** One max_batch row: whether the server could be put there. */
export interface Row {
  readonly maxBatch: number;
  /** Model name used for this row (differs per row with the `models` strategy). */
  readonly model: string;
  readonly status: 'ok' | 'failed';
  /** Triton's message when the row failed to load (untrusted). */
  readonly message?: string;
  /** Seconds spent putting the server at this max_batch. */
  readonly applySeconds: number;
}

/** A whole run. */
export interface RunResult {
  readonly schemaVersion: number;
  /** Unique id: `<iso time>-<short sha or 'local'>`. */
  readonly id: string;
  readonly benchmarkKey: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly environment: Environment;
  readonly method: Method;
  readonly source: Source;
  /** Seed of the trial order and random inputs. */
  readonly seed: number;
  readonly rows: readonly Row[];
  /** Row-major: rows in config order, users ascending. */
  readonly cells: readonly Cell[];
  /** True when every row loaded, no cell failed and the run was not interrupted. */
  readonly isComplete: boolean;
  /** Run-level notes for the report (interrupted, restore failed, ...). */
  readonly notes: readonly string[];
}
