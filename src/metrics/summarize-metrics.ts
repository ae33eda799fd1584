/**
 * The readings taken during a cell's trials, summarised for the report (docs/metrics.md):
 * utilisation and power as means over readings (GPUs averaged, power summed over GPUs), memory
 * as the peak. Pure.
 */
import type { CellMetrics } from '../model/run-result.js';
import type { MetricsReading } from './read-triton-metrics.js';

function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

function peak(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : Math.max(...values);
}

function perReading(
  readings: readonly MetricsReading[],
  pick: (reading: MetricsReading) => number | undefined,
): number[] {
  return readings.map(pick).filter((v): v is number => v !== undefined);
}

function gpuValues(reading: MetricsReading, field: 'utilization' | 'memoryUsedBytes' | 'powerWatts'): number[] {
  return reading.gpus.map((gpu) => gpu[field]).filter((v): v is number => v !== undefined);
}

function sum(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
}

/** Undefined when no reading carried any of the metrics. */
export function summarizeMetrics(readings: readonly MetricsReading[]): CellMetrics | undefined {
  const fields: Record<string, number | undefined> = {
    gpuUtilization: mean(perReading(readings, (r) => mean(gpuValues(r, 'utilization')))),
    gpuMemoryUsedBytes: peak(perReading(readings, (r) => sum(gpuValues(r, 'memoryUsedBytes')))),
    gpuPowerWatts: mean(perReading(readings, (r) => sum(gpuValues(r, 'powerWatts')))),
    cpuUtilization: mean(perReading(readings, (r) => r.cpuUtilization)),
    cpuMemoryUsedBytes: peak(perReading(readings, (r) => r.cpuMemoryUsedBytes)),
  };
  const present = Object.entries(fields).filter((entry): entry is [string, number] => entry[1] !== undefined);
  if (present.length === 0) return undefined;
  return { readings: readings.length, ...Object.fromEntries(present) };
}
