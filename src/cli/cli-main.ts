/**
 * CLI entry (`triton-throughput-gate run | compare | report | merge`): the same engine as the Action,
 * no GitHub needed. It reads flags, builds dependencies and chooses the exit code:
 * 0 pass, 1 gate or run failed, 2 bad usage or configuration (docs/architecture.md#errors).
 */
import { ConfigError } from '../config/config-error.js';
import { resolveConfigFile } from '../config/load-config-file.js';
import { parseConfig } from '../config/parse-config.js';
import { BINARY_NAME, cliHelpText, readCliFlags, type CliArguments } from '../config/read-cli-flags.js';
import { TOOL_VERSION } from '../tool-version.js';
import { UsageError } from '../config/usage-error.js';
import type { RawInputs } from '../config/inputs.js';
import { createStderrLogger } from './stderr-logger.js';
import { createProgressLine } from './progress-line.js';
import { runCommand } from './run-command.js';
import { compareCommand, reportCommand } from './compare-command.js';
import { mergeCommand } from './merge-command.js';
import { errorMessage } from '../error-message.js';
import { createRedactor, headerSecrets, NO_REDACTION, type Redact } from '../redact-secrets.js';
import { interruptOnSignals, restoreDeadlineMs } from '../control/interrupt.js';
import { RunCancelledError } from '../compose/run-cancelled-error.js';

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

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let isQuiet = false;
  // Set once the config (and so the secrets) are known; every later error line passes through it.
  let redact: Redact = NO_REDACTION;
  try {
    const args = readCliFlags(argv);
    isQuiet = args.flags.isQuiet;
    if (args.flags.isVersion) {
      process.stdout.write(`${BINARY_NAME} ${TOOL_VERSION}\n`);
      return 0;
    }
    if (args.command === 'help' || args.flags.isHelp) {
      process.stdout.write(cliHelpText(args.command, args.positionals[0]));
      return 0;
    }
    const log = createStderrLogger(isQuiet);
    if (args.command === 'compare') return await compareCommand(args, await readRaw(args), log);
    if (args.command === 'report') return await reportCommand(args, await readRaw(args), log);
    if (args.command === 'merge') return await mergeCommand(args, await readRaw(args), log);
    const config = parseConfig(await readRaw(args));
    redact = createRedactor(headerSecrets(config.server.headers));
    const interrupt = interruptOnSignals(log, { deadlineMs: restoreDeadlineMs(config), verb: 'interrupted' });
    try {
      const onProgress = createProgressLine(isQuiet);
      return await runCommand({
        config,
        log,
        signal: interrupt.signal,
        restoreTracker: interrupt.restore,
        onProgress,
      });
    } finally {
      interrupt.dispose();
    }
  } catch (err: unknown) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(
        `${err.name}: ${err.message}\n${err instanceof UsageError ? 'Run with --help for usage.\n' : ''}`,
      );
      return 2;
    }
    process.stderr.write(redact(`${err instanceof Error ? err.name : 'Error'}: ${errorMessage(err)}\n`));
    // The stdout sink's last line when the run ends normally; a cancelled run says so too.
    if (err instanceof RunCancelledError) process.stdout.write('verdict: cancelled\n');
    return 1;
  }
}
