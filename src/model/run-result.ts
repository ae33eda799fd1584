/**
 * The versioned result of one matrix run (docs/architecture.md#measurement). It is the public file format users'
 * scripts read and the baseline store keeps, so its core is stable:
 * `{schemaVersion, environment, cells: [{maxBatch, users, status, trials: [{requests, items,
 * seconds, dps, errors}], latencyMs: {p50, p90, p99}, server: {avgBatch}}]}`.
 * Add fields freely; rename or remove nothing without bumping `RUN_RESULT_SCHEMA_VERSION`.
 */
import type { Recommendation } from './recommendation.js';

/**
 * Bumped only when a field of the stable core is renamed, removed or changes meaning. 2: paired
 * runs (`base`, trials with `round`); a paired run's `cells` are the head side, so a reader of
 * version 1 files reads them unchanged, and version 1 files still load.
 */
export const RUN_RESULT_SCHEMA_VERSION = 2;

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
  /** Client that sent the load (`transport` input: `h2` or `grpc-js`); absent in older runs. */
  readonly transport?: string;
  /** GPU UUIDs from Triton's metrics (`gpu_uuid` labels); absent when not sampled or none. */
  readonly gpus?: readonly string[];
  /**
   * Model names of the GPUs serving the run, one per GPU (`nvidia-smi` on the runner, kept to
   * the server's GPUs when its metrics named them; docs/baseline-store.md#fingerprint). Absent
   * when unknown: no `nvidia-smi`, no GPU, or runs stored before it was recorded.
   */
  readonly gpuNames?: readonly string[];
  /** NVIDIA driver version of those GPUs (`nvidia-smi`), e.g. `535.104.05`; absent when unknown. */
  readonly gpuDriver?: string;
  /** Version of triton-throughput-gate that measured the run (its package.json); absent in older runs. */
  readonly toolVersion?: string;
  /** The model's dynamic batcher as the run used it; absent when no config was read, or in older runs. */
  readonly batching?: BatchingSettings;
}

/** Dynamic batching as measured: from the model config the run read, and `max-queue-delay-us`. */
export interface BatchingSettings {
  /** False when the model has no `dynamic_batching`: Triton runs each request as it comes. */
  readonly isDynamic: boolean;
  /** `max_queue_delay_microseconds` in effect (µs): the `max-queue-delay-us` input when set, else the model's. */
  readonly maxQueueDelayUs: number;
  /**
   * `preferred_batch_size` of the model's config as read, before each row clamps it; empty when
   * the config has none or only the one Triton fills in (`[max_batch_size]`).
   */
  readonly preferredBatchSizes: readonly number[];
}

/** How the cells were measured; part of the comparison key (different methods never compare). */
export interface Method {
  readonly batchStrategy: string;
  readonly requests: number;
  /** Time-based trials: steady-window seconds (absent: trials sized by `requests`). */
  readonly trialSeconds?: number;
  /**
   * How a trial is timed: `steady-window` (docs/statistics.md); absent in runs stored before
   * windows existed, which timed first send to last reply and so read a few % lower.
   */
  readonly timing?: 'steady-window';
  readonly itemsPerRequest: number;
  readonly trials: number;
  /** Warm-up requests per cell, or `null` for the default `max(32, 2 × users)`. */
  readonly warmupRequests: number | null;
  /**
   * `row-rounds` above 1: each cell's trials were spread over this many rounds that visit every
   * row in turn (docs/answers.md#measuring-rows-interleaved); absent: rows one after another.
   */
  readonly rowRounds?: number;
  /** Description of every input tensor sent: `name:DATATYPE[shape]:data`. */
  readonly inputs: readonly string[];
  /**
   * The RPC the load used: `ModelStreamInfer` for decoupled models (docs/architecture.md#measurement);
   * absent means `ModelInfer` (every run stored before streaming existed).
   */
  readonly protocol?: 'ModelInfer' | 'ModelStreamInfer';
  /** Sequence models: how sequences were planned (users = concurrent sequences); absent otherwise. */
  readonly sequence?: SequenceMethod;
  /** The kind of model the config showed and why it was measured as it was (docs/models.md); absent in older runs. */
  readonly modelKind?: ModelKindMethod;
}

/**
 * Kinds of model, read from the model's config before measuring (docs/models.md):
 * `batching` (one-shot, max_batch_size > 0), `non-batching` (max_batch_size 0), `ensemble`,
 * `decoupled` (streams 0..n responses per request), `sequence` (sequence batcher).
 */
export type ModelKind = 'batching' | 'non-batching' | 'ensemble' | 'decoupled' | 'sequence';

/** What the run decided about the model, for the report's header. */
export interface ModelKindMethod {
  readonly kind: ModelKind;
  /** One sentence: what in the config decided the protocol, and what that means for the matrix. */
  readonly reason: string;
}

/** How a sequence model's requests were grouped into sequences. */
export interface SequenceMethod {
  /** Requests per sequence before variation (perf_analyzer's `--sequence-length`). */
  readonly length: number;
  /** Each sequence's length varied by up to ± this percentage. */
  readonly variationPct: number;
  /**
   * True: each sequence was as long as the data stream of the `input-data` file it replayed
   * (perf_analyzer's rule when `--sequence-length` is not given); `length` and `variationPct` unused.
   */
  readonly isLengthFromData?: boolean;
  /** Correlation IDs sent as `int64_param` or `string_param`. */
  readonly idKind: 'int64' | 'string';
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

/** Percentiles of a time between two responses, milliseconds. */
export interface ResponseTimesMs {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/**
 * What a trial on a stream (decoupled model) adds: responses beside requests. A request ends
 * at its final response (`triton_final_response`); an empty final response is not a response
 * of the model. For a model that streams one token per response, responses/s is tokens/s.
 */
export interface StreamFigures {
  /** Non-empty responses received in the window. */
  readonly responses: number;
  /** `responses / seconds`. */
  readonly responsesPerSecond: number;
  /** Non-empty responses per successful request, over the whole trial. */
  readonly responsesPerRequest: number;
  /** Send to the first non-empty response (requests that had one), over the whole trial. */
  readonly firstResponseMs: ResponseTimesMs;
  /** Between consecutive non-empty responses of one request, over the whole trial. */
  readonly betweenResponsesMs: ResponseTimesMs;
  /** Final responses without outputs, over the whole trial. */
  readonly emptyFinals: number;
  /** Successful requests the model answered with no response (only the empty final). */
  readonly zeroResponseRequests: number;
}

/** What a trial of a sequence model adds. */
export interface SequenceFigures {
  /** Sequences whose END request succeeded in the window. */
  readonly count: number;
  /** `count / seconds`. */
  readonly perSecond: number;
}

/**
 * One measurement of a cell: R requests (or a time window) over U users. Its figures cover the
 * steady-state window while all U users were active (docs/statistics.md); `isSteady: false`
 * means the window could not form and they cover the whole trial, first send to last reply.
 */
export interface Trial {
  /** Requests sent (ok + failed), over the whole trial. */
  readonly requests: number;
  /** Data items carried by successful requests in the window (`ok × itemsPerRequest`). */
  readonly items: number;
  /** Length of the window in seconds (monotonic clock). */
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
  /**
   * Requests the server refused unprocessed and the client re-sent once (they count once in
   * `requests`, their latency includes the retry); absent when the transport cannot tell.
   */
  readonly retried?: number;
  readonly latencyMs: LatencyMs;
  /** 0-based position of this trial in the run's randomised order. */
  readonly order: number;
  /** First send to last reply, seconds (absent in runs stored before windows existed). */
  readonly wallSeconds?: number;
  /** True when the figures cover the steady window; false: the whole trial. */
  readonly isSteady?: boolean;
  /**
   * Triton's own rate over the same window: Δinference_count between statistics snapshots
   * taken at the window's edges ÷ `seconds` (items/s). Absent without statistics or window.
   */
  readonly serverDps?: number;
  /** Paired runs: 0-based round in which this trial was measured (docs/statistics.md §11). */
  readonly round?: number;
  /** Paired runs: wall-clock start of the trial (ISO 8601), to show the interleaving. */
  readonly startedAt?: string;
  /** Decoupled models (ModelStreamInfer): responses and their timing; absent for unary models. */
  readonly stream?: StreamFigures;
  /** Sequence models: sequences completed; absent otherwise. */
  readonly sequences?: SequenceFigures;
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

/**
 * Triton's Prometheus metrics sampled during a cell's trials (docs/metrics.md); each field is
 * absent when the server did not report it (CPU builds have no GPU metrics).
 */
export interface CellMetrics {
  /** Scrapes taken. */
  readonly readings: number;
  /** Mean GPU utilisation, 0..1 (averaged over GPUs). */
  readonly gpuUtilization?: number;
  /** Peak GPU memory used, bytes (summed over GPUs). */
  readonly gpuMemoryUsedBytes?: number;
  /** Mean power, watts (summed over GPUs). */
  readonly gpuPowerWatts?: number;
  /** Mean CPU utilisation of the server's host, 0..1. */
  readonly cpuUtilization?: number;
  /** Peak CPU memory used on the server's host, bytes. */
  readonly cpuMemoryUsedBytes?: number;
}

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
  /** Median of the trials' `serverDps` (the server's own rate over the window), when known. */
  readonly serverDpsMedian?: number;
  /** Decoupled models: median responses/s over successful trials. */
  readonly responsesPerSecondMedian?: number;
  /** Decoupled models: send to first response, pooled over successful trials. */
  readonly firstResponseMs?: ResponseTimesMs;
  /**
   * Decoupled models: between consecutive non-empty responses of one request, pooled over
   * successful trials; absent when no request had two responses, and in older runs.
   */
  readonly betweenResponsesMs?: ResponseTimesMs;
  /** Sequence models: median sequences/s over successful trials. */
  readonly sequencesPerSecondMedian?: number;
  /** Coefficient of variation of dps over successful trials. */
  readonly cv: number;
  /**
   * Robust spread of dps over successful trials, 1.4826 × MAD / median; decides `noisy`
   * (absent in runs stored before it existed).
   */
  readonly spread?: number;
  /** Trials added because the cell was unstable. */
  readonly reruns: number;
  /** Absent when statistics were unavailable (e.g. `fixed` on a server without them). */
  readonly server?: ServerStats;
  /** Triton's metrics during the cell's trials; absent when not sampled. */
  readonly metrics?: CellMetrics;
  /** True when the cell was re-measured to confirm a regression. */
  readonly isConfirmation?: boolean;
}

/**
 * Why a row failed: `load` (the server could not be put at its max_batch), `request` (its first
 * ModelInfer request failed), `stream` (its first request on a ModelStreamInfer stream failed).
 */
export type RowFailure = 'load' | 'request' | 'stream';

/** One max_batch row: whether the server could be put there. */
export interface Row {
  readonly maxBatch: number;
  /** Model name used for this row (differs per row with the `models` strategy). */
  readonly model: string;
  readonly status: 'ok' | 'failed';
  /** Triton's message when the row failed to load (untrusted). */
  readonly message?: string;
  /** What failed, for the report's words; absent in runs stored before it (read as `load`). */
  readonly failure?: RowFailure;
  /**
   * Paired runs: the base side's own failure at this row (its load or first request failed),
   * which makes a failed row a known broken one rather than the head's (decide-gate.ts).
   */
  readonly baseMessage?: string;
  /** Seconds spent putting the server at this max_batch. */
  readonly applySeconds: number;
}

/**
 * The capacity probe of one row (docs/real-triton.md): does the row run batches of its
 * max_batch? `failed` when the row did not load, or the full-batch request or the loop failed.
 */
export interface CapacityProbe {
  readonly maxBatch: number;
  /**
   * `failed`: Triton refused the row (its load or a request failed); `cancelled`: the run was
   * stopped during the probe, which proves nothing about the row.
   */
  readonly status: 'ok' | 'failed' | 'cancelled';
  /** Why it failed (Triton's text, untrusted). */
  readonly message?: string;
  /** Latency of one request carrying max_batch items, ms. */
  readonly fullRequestMs?: number;
  /** The short closed loop at users × items per request ≥ max_batch. */
  readonly loop?: {
    readonly users: number;
    readonly itemsPerRequest: number;
    readonly dps: number;
    readonly p99Ms: number;
    readonly errors: number;
    /** Triton's inferences per execution over the loop. */
    readonly avgBatch?: number;
    /** Largest batch size Triton executed during the loop. */
    readonly largestBatch?: number;
  };
  /** True for rows beyond the configured list (`capacity: search`). */
  readonly isSearch?: boolean;
  /** True on the search's last row when it stopped at its bound, not at a failure: the limit may be higher. */
  readonly isSearchBound?: boolean;
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
  /** Capacity probes per row, when `capacity` was probe or search (rows of the list, then the search). */
  readonly capacity?: readonly CapacityProbe[];
  /** Run-level notes for the report (interrupted, restore failed, ...). */
  readonly notes: readonly string[];
  /** Paired runs only: the base side, measured interleaved with `cells` (the head side). */
  readonly base?: BaseSideResult;
  /**
   * Set when this run is one shard of a job matrix (`shard: i/n`, n >= 2): its rows are part of
   * a whole that `merge` puts together (model/merge-shards.ts); such a run is never a baseline.
   */
  readonly shard?: ShardOfRun;
  /** Set on a run merged from shards: the shards' run ids, in shard order. */
  readonly mergedFrom?: readonly string[];
  /**
   * How every model the run changed ended (docs/reliability.md, "Model-state journal"): restored
   * as it was before the run, or not; absent when the run changed no model.
   */
  readonly modelState?: readonly ModelStateReport[];
  /**
   * What the run recommends under the invocation's latency budget (analysis/recommend.ts):
   * derived from `cells`, recomputed whenever a run is judged, never compared between runs.
   */
  readonly recommendation?: Recommendation;
}

/** How one model the run changed ended. */
export interface ModelStateReport {
  readonly model: string;
  /** Its server (`host:port`). */
  readonly server: string;
  /** `unchanged`: found as before without a change; `not-restored`: the text says what is left and the fix. */
  readonly status: 'restored' | 'unchanged' | 'not-restored';
  /** One line for people: `model 'm' on s: restored (served at max_batch_size 64, as before the run)`. */
  readonly text: string;
}

/** Which part of the matrix a shard's run holds. */
export interface ShardOfRun {
  /** 1-based shard number. */
  readonly index: number;
  /** Number of shards, >= 2. */
  readonly count: number;
  /** Every row of the whole matrix, in configured order (the shard ran every count-th of them). */
  readonly maxBatch: readonly number[];
}

/**
 * The base side of a paired run (docs/statistics.md §11). Its cells mirror the head's `cells`
 * (same order); every trial on both sides carries `round` and `startedAt`.
 */
export interface BaseSideResult {
  /** Model name the base side was served under. */
  readonly model: string;
  /** Server the base side was measured on (`host:port`). */
  readonly serverAddress: string;
  readonly minRounds: number;
  readonly maxRounds: number;
  readonly cells: readonly Cell[];
}
