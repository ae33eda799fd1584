/** The stdout sink: the run's tables and the verdict, for the CLI and the Action's log. */
import type { PipelineResult, Sink } from '../pipeline.js';
import { renderRunTables } from '../report/render-run-tables.js';
import { renderVerdictTable } from '../report/render-verdict-table.js';

/** How the sink prints. */
export interface StdoutSinkOptions {
  readonly write?: (text: string) => void;
  /** `--quiet`: only the verdict line. */
  readonly isQuiet?: boolean;
}

/**
 * Prints the run's tables, then (with a baseline) the verdict table `compare` prints, which names
 * the figure the gate compared (dps, or responses/s with gate-metric responses), the comparison's
 * headline and the gate's message, and last the `verdict: <verdict>` line (with `isQuiet`, only
 * that line).
 */
export function createStdoutSink(options: StdoutSinkOptions = {}): Sink {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  return {
    name: 'stdout',
    publish: (result: PipelineResult) => {
      if (options.isQuiet === true) {
        write(`verdict: ${result.gate.verdict}\n`);
        return Promise.resolve();
      }
      write(`${renderRunTables(result.run)}\n`);
      const { counts } = result.comparison.summary;
      if (result.comparison.baseline !== undefined) {
        write(`${renderVerdictTable(result.comparison)}\n\n`);
        const parts = Object.entries(counts)
          .filter(([, n]) => n > 0)
          .map(([verdict, n]) => `${n} ${verdict}`);
        write(`Compared with baseline (${result.comparison.baseline.selectedBy}): ${parts.join(', ')}\n`);
      }
      for (const note of result.comparison.notes) write(`note: ${note}\n`);
      for (const state of result.run.modelState ?? []) write(`model state: ${state.text}\n`);
      if (result.saved !== undefined) write(`baseline: ${result.saved.detail}\n`);
      write(`${result.gate.message}\n`);
      write(`verdict: ${result.gate.verdict}\n`);
      return Promise.resolve();
    },
  };
}
