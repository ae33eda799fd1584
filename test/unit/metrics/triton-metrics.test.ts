/**
 * Reading Triton's Prometheus text (src/metrics/): a GPU server's families from a sample
 * written from Triton's documented metric names, and a CPU build's from a scrape recorded on
 * the project's real CPU Triton 2.51; then the per-cell summary and the report section.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTritonMetrics } from '../../../src/metrics/read-triton-metrics.js';
import { summarizeMetrics } from '../../../src/metrics/summarize-metrics.js';
import { renderMetricsSection } from '../../../src/report/render-metrics.js';
import type { Cell, RunResult } from '../../../src/model/run-result.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/metrics/${name}`, import.meta.url), 'utf8');
const GPU_A = 'GPU-7d3c1a52-0b44-4e8e-9a51-2f6c0d1e9b10';
const GPU_B = 'GPU-1f0e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('readTritonMetrics', () => {
  it('reads utilisation, memory used and power per GPU, keyed by gpu_uuid', () => {
    const reading = readTritonMetrics(fixture('gpu-two-a100.prom'));
    expect(reading).toEqual({
      gpus: [
        { uuid: GPU_A, utilization: 0.93, memoryUsedBytes: 6_442_450_944, powerWatts: 287.512 },
        { uuid: GPU_B, utilization: 0.41, memoryUsedBytes: 2_147_483_648, powerWatts: 121.004 },
      ],
    });
  });

  it("reads a CPU build's nv_cpu_utilization and nv_cpu_memory_used_bytes, and no GPU", () => {
    expect(readTritonMetrics(fixture('cpu-triton-2.51.prom'))).toEqual({
      gpus: [],
      cpuUtilization: 1,
      cpuMemoryUsedBytes: 4_545_236_992,
    });
  });

  it('skips values that are not numbers and families it does not know', () => {
    const text = 'nv_gpu_utilization{gpu_uuid="GPU-x"} NaN\nnv_cpu_utilization 0.25\nsomething_else 3\n';
    expect(readTritonMetrics(text)).toEqual({ gpus: [], cpuUtilization: 0.25 });
  });
});

describe('summarizeMetrics', () => {
  it('averages utilisation and power (power summed over GPUs) and keeps the peak memory', () => {
    const busy = readTritonMetrics(fixture('gpu-two-a100.prom'));
    const idle = readTritonMetrics(
      fixture('gpu-two-a100.prom')
        .replace(/0\.930000/, '0.130000')
        .replace(/6442450944/, '1073741824'),
    );
    const summary = summarizeMetrics([busy, idle]);
    expect(summary?.readings).toBe(2);
    expect(summary?.gpuUtilization).toBeCloseTo(((0.93 + 0.41) / 2 + (0.13 + 0.41) / 2) / 2, 10);
    expect(summary?.gpuMemoryUsedBytes).toBe(6_442_450_944 + 2_147_483_648);
    expect(summary?.gpuPowerWatts).toBeCloseTo(287.512 + 121.004, 10);
    expect(summary?.cpuUtilization).toBeUndefined();
  });

  it('is undefined without readings or without any known metric', () => {
    expect(summarizeMetrics([])).toBeUndefined();
    expect(summarizeMetrics([{ gpus: [] }])).toBeUndefined();
  });
});

describe('renderMetricsSection', () => {
  const cell = (users: number, metrics?: Cell['metrics']): Cell => ({
    maxBatch: 8,
    users,
    status: 'ok',
    trials: [],
    latencyMs: { p50: 1, p90: 1, p99: 1, max: 1, mean: 1 },
    dpsMedian: 1,
    rpsMedian: 1,
    cv: 0,
    reruns: 0,
    ...(metrics === undefined ? {} : { metrics }),
  });
  const run = (cells: Cell[], gpus?: string[]): RunResult =>
    ({
      environment: {
        tritonVersion: '2.51.0',
        model: 'm',
        modelVersion: '1',
        configHash: '',
        clientHost: 'h',
        label: '',
        ...(gpus === undefined ? {} : { gpus }),
      },
      cells,
    }) as unknown as RunResult;

  it('shows only the columns some cell has, and names the GPUs', () => {
    const markdown = renderMetricsSection(
      run([cell(1, { readings: 3, gpuUtilization: 0.5, gpuPowerWatts: 200 }), cell(2)], [GPU_A]),
    );
    expect(markdown).toBe(
      [
        '#### Server metrics',
        `Triton's metrics endpoint during each cell's trials; GPUs: \`${GPU_A}\`.`,
        '| max_batch | users | GPU util | GPU power |\n| ---: | ---: | ---: | ---: |\n| 8 | 1 | 50.0% | 200 W |',
      ].join('\n\n'),
    );
  });

  it('is absent when no cell was sampled', () => {
    expect(renderMetricsSection(run([cell(1)]))).toBeUndefined();
  });
});
