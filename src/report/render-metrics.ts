/**
 * Triton's own metrics per cell (docs/metrics.md): whether a cell was GPU- or CPU-bound, from
 * the Prometheus readings taken during its trials. Only the columns some cell has are shown;
 * nothing at all when no cell was sampled. Pure.
 */
import { formatNumber } from '../format-number.js';
import type { Cell, CellMetrics, RunResult } from '../model/run-result.js';

interface Column {
  readonly title: string;
  readonly pick: (metrics: CellMetrics) => number | undefined;
  readonly format: (value: number) => string;
}

const percent = (value: number): string => formatNumber(value, 'percent');
const gib = (bytes: number): string => `${formatNumber(bytes, 'gib')} GiB`;

const COLUMNS: readonly Column[] = [
  { title: 'GPU util', pick: (m) => m.gpuUtilization, format: percent },
  { title: 'GPU memory (peak)', pick: (m) => m.gpuMemoryUsedBytes, format: gib },
  { title: 'GPU power', pick: (m) => m.gpuPowerWatts, format: (v) => `${formatNumber(v, 'count')} W` },
  { title: 'CPU util', pick: (m) => m.cpuUtilization, format: percent },
  { title: 'CPU memory (peak)', pick: (m) => m.cpuMemoryUsedBytes, format: gib },
];

/** The metrics section, or `undefined` when no cell carries metrics. */
export function renderMetricsSection(run: RunResult): string | undefined {
  const cells = run.cells.filter((cell): cell is Cell & { metrics: CellMetrics } => cell.metrics !== undefined);
  if (cells.length === 0) return undefined;
  const columns = COLUMNS.filter((column) => cells.some((cell) => column.pick(cell.metrics) !== undefined));
  if (columns.length === 0) return undefined;
  const header = `| max_batch | users | ${columns.map((c) => c.title).join(' | ')} |`;
  const rule = `| ---: | ---: | ${columns.map(() => '---:').join(' | ')} |`;
  const rows = cells.map((cell) => {
    const values = columns.map((column) => {
      const value = column.pick(cell.metrics);
      return value === undefined ? '–' : column.format(value);
    });
    return `| ${cell.maxBatch} | ${cell.users} | ${values.join(' | ')} |`;
  });
  const gpus = run.environment.gpus ?? [];
  const lead =
    gpus.length === 0
      ? "Triton's metrics endpoint during each cell's trials."
      : `Triton's metrics endpoint during each cell's trials; GPUs: ${gpus.map((g) => `\`${g.replace(/[`|]/g, '')}\``).join(', ')}.`;
  return ['#### Server metrics', lead, [header, rule, ...rows].join('\n')].join('\n\n');
}
