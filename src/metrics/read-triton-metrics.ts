/**
 * One scrape of Triton's Prometheus endpoint, reduced to what a cell report needs
 * (docs/metrics.md): per GPU (label `gpu_uuid`) utilisation, memory used and power, and on CPU
 * builds the host's CPU utilisation and memory used. Pure: text in, numbers out.
 *
 * The text format is parsed by parse-prometheus-text-format (Apache-2.0, one small
 * dependency): the exposition format has escapes, comments and label quoting that a regex
 * would get wrong, and nothing else on npm parses it without pulling in a metrics client.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One GPU as one scrape saw it; fields absent when Triton did not report them. */
export interface GpuReading {
  readonly uuid: string;
  /** 0..1. */
  readonly utilization?: number;
  readonly memoryUsedBytes?: number;
  readonly powerWatts?: number;
}

/** One scrape. */
export interface MetricsReading {
  readonly gpus: readonly GpuReading[];
  /** 0..1 (Triton's `nv_cpu_utilization`). */
  readonly cpuUtilization?: number;
  readonly cpuMemoryUsedBytes?: number;
}

const GPU_FIELDS = {
  nv_gpu_utilization: 'utilization',
  nv_gpu_memory_used_bytes: 'memoryUsedBytes',
  nv_gpu_power_usage: 'powerWatts',
} as const;

/** Reads a scrape; families it does not know are ignored, malformed values skipped. */
export function readTritonMetrics(text: string): MetricsReading {
  const gpus = new Map<string, Record<string, number>>();
  let cpuUtilization: number | undefined;
  let cpuMemoryUsedBytes: number | undefined;
  for (const family of parsePrometheusTextFormat(text)) {
    const gpuField = (GPU_FIELDS as Record<string, string | undefined>)[family.name];
    for (const sample of family.metrics) {
      const value = Number(sample.value);
      if (sample.value === undefined || !Number.isFinite(value)) continue;
      const uuid = sample.labels?.['gpu_uuid'];
      if (gpuField !== undefined && uuid !== undefined) {
        const gpu = gpus.get(uuid) ?? {};
        gpu[gpuField] = value;
        gpus.set(uuid, gpu);
      } else if (family.name === 'nv_cpu_utilization') {
        cpuUtilization = value;
      } else if (family.name === 'nv_cpu_memory_used_bytes') {
        cpuMemoryUsedBytes = value;
      }
    }
  }
  return {
    gpus: [...gpus].map(([uuid, fields]) => ({ uuid, ...fields })),
    ...(cpuUtilization === undefined ? {} : { cpuUtilization }),
    ...(cpuMemoryUsedBytes === undefined ? {} : { cpuMemoryUsedBytes }),
  };
}
