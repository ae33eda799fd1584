/**
 * Which sinks an Action run publishes to, in order: the log (run tables and verdict), the step
 * outputs, the job summary, then what needs the API — the PR comment (PR events only) and the
 * trend comment (default-branch pushes, tags, schedule, workflow_dispatch); a shard's job
 * (`shard: i/n`, n >= 2) has neither, its merge job does. Outputs and summary
 * come first so a slow or refused API call never costs them. Never a commit comment.
 */
import { tmpdir } from 'node:os';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Sink } from '../pipeline.js';
import type { IssueCommentsClient } from '../github-api/issue-comments-client.js';
import { createOutputsSink, outputPathsOf, type OutputName } from './outputs-sink.js';
import { createPrCommentSink } from './pr-comment-sink.js';
import { PULL_REQUEST_EVENTS, type ActionRunContext } from '../github/run-context.js';
import { createSummarySink, type SummaryWriter } from './summary-sink.js';
import { createTrendIssueSink, isTrendEvent } from './trend-issue-sink.js';

/** What the sinks are built from; the `@actions/core` functions come from main.ts. */
export interface ActionSinksOptions {
  readonly config: Config;
  readonly context: ActionRunContext;
  /** Undefined without a token or repository: no comments then. */
  readonly comments: IssueCommentsClient | undefined;
  readonly log: Logger;
  /** The log sink (the CLI's stdout sink). */
  readonly logSink: Sink;
  readonly summary: SummaryWriter;
  readonly isSummaryAvailable: boolean;
  readonly setOutput: (name: OutputName, value: string) => void;
  readonly writeTextFile: (path: string, text: string) => Promise<void>;
}

/** The sinks of one run. Logs why a comment sink is left out when the user asked for it. */
export function createActionSinks(options: ActionSinksOptions): Sink[] {
  const { config, context, log } = options;
  const sinks: Sink[] = [
    options.logSink,
    createOutputsSink({
      paths: outputPathsOf(context.tempDir ?? tmpdir(), config.benchmarkKey, config.report.outPath),
      setOutput: options.setOutput,
      writeTextFile: options.writeTextFile,
    }),
    createSummarySink({
      summary: options.summary,
      benchmarkKey: config.benchmarkKey,
      isAvailable: options.isSummaryAvailable,
      log,
      runUrl: context.runUrl,
      conclusions: config.answers.conclusions,
    }),
  ];
  const { shard } = config.matrix;
  if (shard.count > 1) {
    // A shard comments nowhere: its rows are a part; the merge job comments once for the whole run (README "Sharded runs").
    log.info(
      `shard ${shard.index}/${shard.count}: no PR or trend comment; the merge job (mode: merge) posts the one comment`,
    );
    return sinks;
  }
  const pr = prCommentSink(options);
  if (pr !== undefined) sinks.push(pr);
  const trend = trendSink(options);
  if (trend !== undefined) sinks.push(trend);
  return sinks;
}

function prCommentSink(options: ActionSinksOptions): Sink | undefined {
  const { config, context, comments, log } = options;
  if (!PULL_REQUEST_EVENTS.includes(context.eventName)) return undefined;
  if (context.pullRequest === undefined) {
    log.warn(`a ${context.eventName} event without pull_request details in GITHUB_EVENT_PATH: no PR comment`);
    return undefined;
  }
  if (comments === undefined) {
    if (config.report.comment !== 'never')
      log.warn('github-token is empty: no PR comment; the report is in the job summary');
    return undefined;
  }
  return createPrCommentSink({
    client: comments,
    pullRequest: context.pullRequest,
    mode: config.report.comment,
    benchmarkKey: config.benchmarkKey,
    log,
    runUrl: context.runUrl,
    conclusions: config.answers.conclusions,
  });
}

function trendSink(options: ActionSinksOptions): Sink | undefined {
  const { config, context, comments, log } = options;
  const issueNumber = config.report.trendIssue;
  if (issueNumber === undefined) return undefined;
  if (!isTrendEvent(context)) {
    log.info(
      `trend-issue #${issueNumber}: not updated by a ${context.eventName} run (only default-branch pushes, tags, schedule and workflow_dispatch)`,
    );
    return undefined;
  }
  if (comments === undefined) {
    log.warn(
      `trend-issue #${issueNumber}: github-token is empty or GITHUB_REPOSITORY unset, the trend comment is not updated`,
    );
    return undefined;
  }
  return createTrendIssueSink({
    client: comments,
    issueNumber,
    benchmarkKey: config.benchmarkKey,
    context,
    log,
    runUrl: context.runUrl,
    conclusions: config.answers.conclusions,
  });
}
