/**
 * CLI entry (`triton-throughput-gate run | compare | report | merge`): the same engine as the Action,
 * no GitHub needed. It reads flags, builds dependencies and chooses the exit code:
 * 0 pass, 1 gate or run failed, 2 bad usage or configuration (docs/architecture.md#errors).
 * `run`, `merge` and `compare` end every path with a `verdict: <verdict>` line on stdout.
 */
import { ConfigError } from '../config/config-error.js';
import { resolveConfigFile } from '../config/load-config-file.js';
import { parseConfig } from '../config/parse-config.js';
import { BINARY_NAME, cliHelpText, readCliFlags, type CliArguments } from '../config/read-cli-flags.js';
import { TOOL_VERSION } from '../tool-version.js';
import { UsageError } from '../config/usage-error.js';
import type { RawInputs } from '../config/inputs.js';
import type { Config } from '../config/config.js';
import { createStderrLogger } from './stderr-logger.js';
import { createProgressLine } from './progress-line.js';
import { runCommand } from './run-command.js';
import { compareCommand, reportCommand } from './compare-command.js';
import { mergeCommand } from './merge-command.js';
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import { createRedactor, headerSecrets, redactingLogger, type Redact } from '../redact-secrets.js';
import { interruptOnSignals, restoreDeadlineMs } from '../control/interrupt.js';
import type { ModelJournal } from '../control/model-journal.js';
import { endNow } from '../control/end-process.js';
import { RunCancelledError } from '../compose/run-cancelled-error.js';
import { runJournal } from '../compose/compose-run.js';

/** Commands whose last stdout line is the verdict, on every path. */
const GATING_COMMANDS: readonly string[] = ['run', 'merge', 'compare'];

/**
 * The CLI stores nothing by default: the data branch needs the Action's token. Asking to save
 * without naming a store is refused here, in CLI words: parseConfig would only see the default
 * store 'none' and blame `save-baseline`, which a user who typed `--save` never wrote.
 */
async function readRaw(args: CliArguments): Promise<RawInputs> {
  const raw = await resolveConfigFile(args.raw);
  if (raw['baseline-store'] !== undefined) return raw;
  if (raw['save-baseline'] === 'always') {
    throw new ConfigError([
      {
        input: 'save-baseline',
        value: 'always',
        expected: 'a store to save to: --baseline-dir <dir> (the CLI has none by default)',
        hint: '--save and save-baseline always need --baseline-dir, or baseline-store file with baseline-path',
      },
    ]);
  }
  return { ...raw, 'baseline-store': 'none' };
}

/** What the error path prints besides the error: the models' state, known once a run began. */
interface ErrorContext {
  redact: Redact;
  journal: ModelJournal | undefined;
}

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // Set once the config (and so the secrets) are known; every later error line passes through it.
  const context: ErrorContext = { redact: createRedactor([]), journal: undefined };
  try {
    const args = readCliFlags(argv);
    if (args.flags.isVersion) {
      process.stdout.write(`${BINARY_NAME} ${TOOL_VERSION}\n`);
      return 0;
    }
    if (args.command === 'help' || args.flags.isHelp) {
      process.stdout.write(cliHelpText(args.command, args.positionals[0]));
      return 0;
    }
    const isQuiet = args.flags.isQuiet;
    const log = createStderrLogger(isQuiet);
    if (args.command === 'compare') return await compareCommand(args, await readRaw(args), log);
    if (args.command === 'report') return await reportCommand(args, await readRaw(args), log);
    if (args.command === 'merge') return await mergeCommand(args, await readRaw(args), log);
    const config = parseConfig(await readRaw(args));
    context.redact = createRedactor(headerSecrets(config.server.headers));
    return await runGuarded(config, { log: redactingLogger(log, context.redact), isQuiet }, context);
  } catch (err: unknown) {
    const isBadInput = err instanceof UsageError || err instanceof ConfigError;
    if (isBadInput) {
      process.stderr.write(
        `${err.name}: ${context.redact(err.message)}\n${err instanceof UsageError ? 'Run with --help for usage.\n' : ''}`,
      );
    } else {
      process.stderr.write(context.redact(`${err instanceof Error ? err.name : 'Error'}: ${errorMessage(err)}\n`));
    }
    for (const report of context.journal?.summary('its restore did not end') ?? [])
      process.stderr.write(`model state: ${report.text}\n`);
    // The verdict is the last line of a gating command on every path (README, "The CLI").
    if (GATING_COMMANDS.includes(argv[0] ?? ''))
      process.stdout.write(`verdict: ${err instanceof RunCancelledError ? 'cancelled' : 'failure'}\n`);
    return isBadInput ? 2 : 1;
  }
}

/**
 * `run` under the signal and crash handlers (control/interrupt.ts): every way it ends restores
 * through the one journal; past the deadline, or after an unhandled error, the process says what
 * is left, prints the verdict and ends.
 */
async function runGuarded(
  config: Config,
  io: { readonly log: Logger; readonly isQuiet: boolean },
  context: ErrorContext,
): Promise<number> {
  const { log } = io;
  const journal = runJournal(config, log);
  context.journal = journal;
  const deadlineMs = restoreDeadlineMs(config);
  const interrupt = interruptOnSignals(log, {
    deadlineMs,
    verb: 'interrupted',
    onDeadline: (name) => {
      const unfinished = `the run had not ended ${Math.round(deadlineMs / 1000)} s after ${name}`;
      endAbruptly(journal.summary(unfinished), 'cancelled');
    },
    onCrash: (err) => {
      process.stderr.write(context.redact(`unhandled error: ${errorMessage(err)}\n`));
      void journal.restoreAll().then((reports) => {
        endAbruptly(reports, 'failure');
      });
    },
  });
  const progress = createProgressLine(io.isQuiet);
  try {
    return await runCommand({
      config,
      log,
      journal,
      isQuiet: io.isQuiet,
      signal: interrupt.signal,
      restoreTracker: interrupt.restore,
      ...(progress === undefined ? {} : { onProgress: progress.onProgress }),
    });
  } finally {
    progress?.dispose();
    interrupt.dispose();
  }
}

/** Prints what is left of each model and the verdict, and ends the process with exit code 1. */
function endAbruptly(reports: readonly { readonly text: string }[], verdict: 'cancelled' | 'failure'): void {
  for (const report of reports) process.stderr.write(`model state: ${report.text}\n`);
  process.stdout.write(`verdict: ${verdict}\n`);
  endNow(1);
}
