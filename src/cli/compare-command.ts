/**
 * `compare --current <file> --baseline <dir|file>`: judge a stored result against a baseline
 * without a server (exit 1 on a regression, 0 otherwise, 2 on bad input), and `report
 * --current <file> [--baseline ...]`: print the markdown report of a result.
 */
import { readFile } from 'node:fs/promises';
import { BaselineStoreError } from '../model/baseline-store-error.js';
import type { BaselineLoad } from '../model/baseline-store.js';
import { loadBaselineFile } from '../baseline/load-baseline-file.js';
import { parseStoredRun } from '../baseline/stored-run.js';
import { ConfigError } from '../config/config-error.js';
import type { RawInputs } from '../config/inputs.js';
import { parseConfig } from '../config/parse-config.js';
import type { CliArguments } from '../config/read-cli-flags.js';
import { UsageError } from '../config/usage-error.js';
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import type { RunResult } from '../model/run-result.js';
import { evaluateRun } from '../pipeline.js';
import { renderVerdictTable } from '../report/render-verdict-table.js';
import type { Config } from '../config/config.js';

async function readCurrent(path: string | undefined): Promise<RunResult> {
  if (path === undefined)
    throw new UsageError('--current <file> is required: the result JSON to judge', { flag: '--current' });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err: unknown) {
    throw new ConfigError([
      { input: 'current', value: path, expected: 'a readable result JSON file', hint: errorMessage(err) },
    ]);
  }
  const stored = parseStoredRun(text);
  if ('skipped' in stored)
    throw new ConfigError([
      { input: 'current', value: path, expected: 'a triton-throughput-gate result JSON', hint: stored.skipped },
    ]);
  return stored.run;
}

/** The result's own model and key fill in what the user did not give (no server needed). */
function configFor(run: RunResult, raw: RawInputs): Config {
  return parseConfig({ model: run.environment.model, 'benchmark-key': run.benchmarkKey, ...raw });
}

async function loadBaseline(path: string, run: RunResult, config: Config, log: Logger): Promise<BaselineLoad> {
  try {
    return await loadBaselineFile(
      path,
      { benchmarkKey: config.benchmarkKey, environment: run.environment, method: run.method, preferredShas: [] },
      { log, history: config.store.history },
    );
  } catch (err: unknown) {
    if (err instanceof BaselineStoreError)
      throw new ConfigError(
        [{ input: 'baseline', value: path, expected: 'a result JSON file or a baseline directory', hint: err.message }],
        { cause: err },
      );
    throw err;
  }
}

/** `compare`: prints the verdict table, the gate's line and the verdict (only that with `--quiet`); exit 1 on a regression. */
export async function compareCommand(args: CliArguments, raw: RawInputs, log: Logger): Promise<number> {
  const run = await readCurrent(args.flags.current);
  const config = configFor(run, raw);
  if (args.flags.baseline === undefined)
    throw new UsageError('--baseline <dir|file> is required', { flag: '--baseline' });
  const baseline = await loadBaseline(args.flags.baseline, run, config, log);
  // The stored run may already hold confirmation cells (pooled re-measurements).
  const confirmed = new Set(run.cells.filter((c) => c.isConfirmation === true).map((c) => `${c.maxBatch}x${c.users}`));
  const { comparison, gate } = evaluateRun(run, baseline, config, { confirmed });
  if (!args.flags.isQuiet) {
    process.stdout.write(`${renderVerdictTable(comparison)}\n\n`);
    for (const note of comparison.notes) process.stdout.write(`note: ${note}\n`);
    process.stdout.write(`${gate.message}\n`);
  }
  process.stdout.write(`verdict: ${gate.verdict}\n`);
  return gate.shouldFail ? 1 : 0;
}

/** `report`: prints the markdown report of `--current` (against `--baseline` when given). */
export async function reportCommand(args: CliArguments, raw: RawInputs, log: Logger): Promise<number> {
  const run = await readCurrent(args.flags.current);
  const config = configFor(run, raw);
  const baseline: BaselineLoad =
    args.flags.baseline === undefined
      ? { runs: [], selectedBy: 'none', history: [], notes: [] }
      : await loadBaseline(args.flags.baseline, run, config, log);
  process.stdout.write(evaluateRun(run, baseline, config).report.markdown);
  return 0;
}
