/**
 * Action entry: reads the runner's environment and hands it to the composition root
 * (compose/compose-run.ts), which builds the pipeline's dependencies; the order of the steps
 * lives in pipeline.ts (docs/architecture.md).
 * Inputs → Config (the CLI's validator; every issue reported before any RPC) → sinks and the
 * repository's API → composeAndRun → `core.setFailed` when the gate fails or the run errors.
 * With `mode: merge` the shard jobs' result files replace the measurement
 * (compose/compose-merge.ts, README "Sharded runs").
 * Never `process.exit`: the exit code is `process.exitCode`.
 */
import * as core from '@actions/core';
import { composeGitHub, type ComposedGitHub } from './compose/compose-github.js';
import { composeAndRun } from './compose/compose-run.js';
import { resolveConfigFile } from './config/load-config-file.js';
import { parseConfig } from './config/parse-config.js';
import { readActionInputs, readActionMode, readGithubToken } from './config/read-action-inputs.js';
import { parseActionMode } from './config/parse-action-mode.js';
import { ActionInput } from './config/inputs.js';
import { composeAndMerge, configForMerged, readMergedRun, type MergeEnvironment } from './compose/compose-merge.js';
import type { Config } from './config/config.js';
import type { RunResult } from './model/run-result.js';
import { errorMessage } from './error-message.js';
import { abortOnCancel } from './github/abort-on-cancel.js';
import { restoreDeadlineMs } from './control/interrupt.js';
import type { ModelJournal, RestoreReport } from './control/model-journal.js';
import { endIfLingering, endNow } from './control/end-process.js';
import { runJournal } from './compose/compose-run.js';
import { createActionLogger } from './github/action-logger.js';
import { createActionProgress } from './github/action-progress.js';
import { headerSecretValues, maskSecrets, scrubSecretInputs, secretValuesOf } from './github/mask-secrets.js';
import { reportRunFailure } from './github/report-run-failure.js';
import { RunCancelledError } from './compose/run-cancelled-error.js';
import { matrixContextOf, readRunContext, runEventOf, type ActionRunContext } from './github/run-context.js';
import type { Logger } from './logger.js';
import type { Sink } from './pipeline.js';
import { createActionSinks } from './sinks/action-sinks.js';
import { writeTextFile } from './sinks/json-file-sink.js';
import { createStdoutSink } from './sinks/stdout-sink.js';
import { createRedactor, redactingLogger, type Redact } from './redact-secrets.js';

import { resolveRunnerLabel } from './config/runner-label.js';

/** Masks the token and header secrets (and their parts) in the failure path's text (redact-secrets.ts). */
let redact: Redact = createRedactor([]);
/** The run's model-state journal, once a run began: the failure path reports its models' state. */
let journal: ModelJournal | undefined;

/** Merge mode: the merged shards through the pipeline's publishing half; no server, no cancellation to restore. */
async function publishMerged(config: Config, merged: RunResult, env: MergeEnvironment): Promise<void> {
  const result = await composeAndMerge(config, env, merged);
  core.setOutput('verdict', result.gate.verdict);
  if (result.gate.shouldFail) core.setFailed(result.gate.message);
}

/** Past the deadline or after an unhandled error: the models' state, the verdict, a failed step, the end. */
function endAbruptly(message: string, reports: readonly RestoreReport[], verdict: 'cancelled' | 'failure'): void {
  for (const report of reports) (report.status === 'not-restored' ? core.warning : core.info)(redact(report.text));
  core.setOutput('verdict', verdict);
  core.setFailed(redact(message));
  endNow(1);
}

async function run(): Promise<void> {
  const token = readGithubToken();
  const raw = readActionInputs();
  redact = createRedactor([...(token === undefined ? [] : [token]), ...secretValuesOf(raw, undefined)]);
  const log = redactingLogger(createActionLogger(), redact);
  maskSecrets(secretValuesOf(raw, token), core.setSecret);
  scrubSecretInputs(process.env);
  const context = await readRunContext(process.env, log);
  const mode = parseActionMode(readActionMode());
  // Merge mode (README "Sharded runs"): the shards' results are read and checked before anything else.
  const merged =
    mode.kind === 'merge' ? await readMergedRun(mode.shardResults, ActionInput.shardResults, log) : undefined;
  // A config file may not set the command strategy (repository content): readConfigFile refuses it.
  const fileRaw = await resolveConfigFile(raw);
  const config = merged === undefined ? parseConfig(fileRaw) : configForMerged(merged, fileRaw); // ConfigError: caught below, before any RPC
  maskSecrets(headerSecretValues(config.server.headers), core.setSecret);
  // Headers from a config file are known only now: the failure path masks them too.
  redact = createRedactor([
    ...(token === undefined ? [] : [token]),
    ...secretValuesOf(raw, undefined),
    ...headerSecretValues(config.server.headers),
  ]);
  const { octokit, comments } = composeGitHub(token, context, log);
  const sinks = createActionSinks({
    config,
    context,
    log,
    comments,
    logSink: createStdoutSink(),
    summary: core.summary,
    isSummaryAvailable: (process.env['GITHUB_STEP_SUMMARY'] ?? '') !== '',
    setOutput: core.setOutput,
    writeTextFile,
  });
  if (merged !== undefined) {
    await publishMerged(config, merged, {
      log,
      sinks,
      event: runEventOf(context),
      github: { context, octokit },
      runUrl: context.runUrl,
    });
    return;
  }
  await measureAndPublish(config, { log, sinks, context, octokit });
}

/**
 * The measured run under the cancel and crash handlers: every way it ends restores through the
 * one journal (control/model-journal.ts) and sets the `verdict` output.
 */
async function measureAndPublish(
  config: Config,
  env: {
    readonly log: Logger;
    readonly sinks: readonly Sink[];
    readonly context: ActionRunContext;
    readonly octokit: ComposedGitHub['octokit'];
  },
): Promise<void> {
  const { log, sinks, context, octokit } = env;
  const runnerLabel = resolveRunnerLabel(config.runnerLabel, context.label, process.env['TTG_LABEL']);
  if (runnerLabel.warning !== undefined) log.warn(runnerLabel.warning);
  const runJournalOfAction = runJournal(config, log);
  journal = runJournalOfAction;
  const deadlineMs = restoreDeadlineMs(config);
  const cancel = abortOnCancel(log, deadlineMs, {
    onDeadline: (name) => {
      const unfinished = `the run had not ended ${Math.round(deadlineMs / 1000)} s after ${name}`;
      endAbruptly(
        `the run was cancelled and did not end within ${Math.round(deadlineMs / 1000)} s`,
        runJournalOfAction.summary(unfinished),
        'cancelled',
      );
    },
    onCrash: (err) => {
      void runJournalOfAction.restoreAll().then((reports) => {
        endAbruptly(`unhandled error: ${errorMessage(err)}`, reports, 'failure');
      });
    },
  });
  try {
    const result = await composeAndRun(config, {
      log,
      sinks,
      journal: runJournalOfAction,
      signal: cancel.signal,
      restoreTracker: cancel.restore,
      onProgress: createActionProgress(log),
      event: runEventOf(context),
      context: { ...matrixContextOf(context), label: runnerLabel.label },
      github: { context, octokit },
      runUrl: context.runUrl,
    });
    // The final verdict (a lost write may have failed the run after the outputs were set).
    core.setOutput('verdict', result.gate.verdict);
    if (cancel.signal.aborted) core.setFailed(`the run was cancelled: ${errorMessage(cancel.signal.reason)}`);
    else if (result.gate.shouldFail) core.setFailed(result.gate.message);
  } finally {
    cancel.dispose();
  }
}

try {
  await run();
} catch (err: unknown) {
  // ConfigError lists every invalid input; TritonError names the server and the RPC.
  core.setFailed(redact(err instanceof Error ? `${err.name}: ${errorMessage(err)}` : errorMessage(err)));
  const states = journal?.summary('its restore did not end') ?? [];
  for (const state of states) (state.status === 'not-restored' ? core.warning : core.info)(redact(state.text));
  await reportRunFailure(
    {
      summary: core.summary,
      isSummaryAvailable: (process.env['GITHUB_STEP_SUMMARY'] ?? '') !== '',
      setOutput: core.setOutput,
    },
    err instanceof Error ? err.name : 'Error',
    redact([errorMessage(err), ...states.map((state) => state.text)].join('\n')),
    err instanceof RunCancelledError ? 'cancelled' : 'failure',
  );
}
// Everything is written: a connection to a stalled server must not keep the step alive (end-process.ts).
endIfLingering(import.meta.url);
