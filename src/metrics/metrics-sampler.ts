/**
 * Scrapes Triton's metrics endpoint while a trial runs (docs/metrics.md): once at the start,
 * every `intervalMs`, and once at the end. A failed scrape is never fatal: the run goes on
 * without metrics and the first failure is logged once.
 */
import type { Logger } from '../logger.js';
import { readTritonMetrics, type MetricsReading } from './read-triton-metrics.js';

/** Sampling around one trial. */
export interface MetricsRecording {
  /** Stops sampling; resolves with every reading taken (possibly none). */
  stop(): Promise<MetricsReading[]>;
}

/** Starts recordings against one endpoint. */
export interface MetricsSampler {
  start(): MetricsRecording;
  /** GPU UUIDs seen in any reading so far, sorted. */
  gpus(): string[];
}

/** Options of createMetricsSampler. */
export interface MetricsSamplerOptions {
  readonly url: string;
  readonly log: Logger;
  /** Between scrapes; default 1000 ms (Triton refreshes GPU metrics every second). */
  readonly intervalMs?: number;
  /** Deadline of one scrape; default 2000 ms. */
  readonly timeoutMs?: number;
}

/** A sampler for `url`; scrapes only while a recording runs. */
export function createMetricsSampler(options: MetricsSamplerOptions): MetricsSampler {
  const intervalMs = options.intervalMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  // After one failure the endpoint is left alone: a dead or hanging URL must not add a
  // timeout to every trial.
  // An object, not a let: scrapes overlap, so another one may have failed while this one waited.
  const state = { hasFailed: false };
  const failOnce = (err: unknown): void => {
    if (state.hasFailed) return;
    state.hasFailed = true;
    options.log.warn(
      `metrics: cannot read ${options.url} (${failureText(err)}); cells are reported without Triton's metrics ` +
        "(set metrics-url to the server's metrics endpoint, Triton's --metrics-port, or 'none')",
    );
  };
  const gpus = new Set<string>();
  const scrape = async (): Promise<MetricsReading | undefined> => {
    if (state.hasFailed) return undefined;
    try {
      const response = await fetch(options.url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const reading = readTritonMetrics(await response.text());
      for (const gpu of reading.gpus) gpus.add(gpu.uuid);
      return reading;
    } catch (err: unknown) {
      failOnce(err);
      return undefined;
    }
  };
  return {
    gpus: () => [...gpus].sort(),
    start(): MetricsRecording {
      const pending: Promise<MetricsReading | undefined>[] = [scrape()];
      const timer = setInterval(() => pending.push(scrape()), intervalMs);
      timer.unref();
      return {
        async stop(): Promise<MetricsReading[]> {
          clearInterval(timer);
          pending.push(scrape());
          return (await Promise.all(pending)).filter((r): r is MetricsReading => r !== undefined);
        },
      };
    },
  };
}

/**
 * Why a scrape failed, in words a user can act on: fetch says only `fetch failed` and keeps the
 * reason (`connect ECONNREFUSED 127.0.0.1:8002`) in its `cause`.
 */
function failureText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause: unknown = err.cause;
  return cause instanceof Error && cause.message !== '' ? `${err.message}: ${cause.message}` : err.message;
}

/** The sampler for `metrics-url`; undefined when it is `none` (null). */
export function metricsSamplerFor(url: string | null, log: Logger): { metrics?: MetricsSampler } {
  return url === null ? {} : { metrics: createMetricsSampler({ url, log }) };
}
