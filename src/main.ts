/**
 * Action entry (DESIGN §3): builds the pipeline's dependencies from the runner's environment
 * and calls it (STYLE §1: the order of steps lives in pipeline.ts, helpers in github/).
 * Inputs → Config (the CLI's validator; every issue reported before any RPC) → Triton client,
 * controller, store, sinks → runPipeline → `core.setFailed` when the gate fails or the run
 * errors. Never `process.exit` (STYLE §2): the exit code is `process.exitCode`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { createStdoutSink } from './cli/cli-sinks.js';
import { resolveConfigFile } from './config/load-config-file.js';
import { parseConfig } from './config/parse-config.js';
import { readActionInputs, readGithubToken } from './config/read-action-inputs.js';
import { CONTROLLER_FACTORIES } from './control/controllers.js';
import { runShellCommand } from './control/run-shell-command.js';
import { errorMessage } from './error-message.js';
import { abortOnCancel } from './github/abort-on-cancel.js';
import { createActionLogger } from './github/action-logger.js';
import { createActionProgress } from './github/action-progress.js';
import { createActionSinks } from './github/action-sinks.js';
import { createActionStore } from './github/action-store.js';
import { createIssueCommentsClient } from './github/issue-comments-client.js';
import { headerSecretValues, maskSecrets, scrubSecretInputs, secretValuesOf } from './github/mask-secrets.js';
import { reportRunFailure } from './github/report-run-failure.js';
import { matrixContextOf, readRunContext, runEventOf } from './github/run-context.js';
import { readInputFiles } from './load/read-input-files.js';
import { runPipeline } from './pipeline.js';
import { TritonClient } from './triton/triton-client.js';
import { resolveRunnerLabel } from './config/runner-label.js';

async function run(): Promise<void> {
  const log = createActionLogger();
  const token = readGithubToken();
  const raw = readActionInputs();
  maskSecrets(secretValuesOf(raw, token), core.setSecret);
  scrubSecretInputs(process.env);
  const context = await readRunContext(process.env, log);
  // A config file may not set the command strategy (repository content): readConfigFile refuses it.
  const config = parseConfig(await resolveConfigFile(raw)); // ConfigError: caught below, before any RPC
  maskSecrets(headerSecretValues(config.server.headers), core.setSecret);
  const files = await readInputFiles(config.matrix);
  const octokit = token === undefined ? undefined : getOctokit(token, { baseUrl: context.apiUrl });
  const { store, preferredShas } = await createActionStore({ config, context, octokit, log });
  const sinks = createActionSinks({
    config, context, log,
    comments: octokit === undefined || context.owner === undefined || context.repo === undefined
      ? undefined
      : createIssueCommentsClient(octokit, context.owner, context.repo),
    logSink: createStdoutSink(),
    summary: core.summary,
    isSummaryAvailable: (process.env['GITHUB_STEP_SUMMARY'] ?? '') !== '',
    setOutput: core.setOutput,
    writeTextFile: async (path, text) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    },
  });
  const runnerLabel = resolveRunnerLabel(config.runnerLabel, context.label, process.env['TTG_LABEL']);
  if (runnerLabel.warning !== undefined) log.warn(runnerLabel.warning);
  const client = new TritonClient({ address: config.server.address, isTls: config.server.isTls, headers: config.server.headers });
  const cancel = abortOnCancel(log);
  try {
    const transport = client.inferTransport();
    const controller = CONTROLLER_FACTORIES[config.control.strategy]({ client, config, log, runCommand: runShellCommand });
    const result = await runPipeline(config, {
      matrix: { client, transport, controller, log, files, signal: cancel.signal, onProgress: createActionProgress(log) },
      store, sinks, log, preferredShas,
      event: runEventOf(context),
      context: { ...matrixContextOf(context), label: runnerLabel.label },
      ...(context.runUrl === undefined ? {} : { runUrl: context.runUrl }),
    });
    if (cancel.signal.aborted) core.setFailed(`the run was cancelled: ${errorMessage(cancel.signal.reason)}`);
    else if (result.gate.shouldFail) core.setFailed(result.gate.message);
  } finally {
    cancel.dispose();
    client.close();
  }
}

try {
  await run();
} catch (err: unknown) {
  // ConfigError lists every invalid input; TritonError names the server and the RPC.
  core.setFailed(err instanceof Error ? err : errorMessage(err));
  await reportRunFailure(
    { summary: core.summary, isSummaryAvailable: (process.env['GITHUB_STEP_SUMMARY'] ?? '') !== '', setOutput: core.setOutput },
    err instanceof Error ? err.name : 'Error',
    errorMessage(err),
  );
}
