/**
 * The Actions run environment, read once by main.ts into a plain object (not
 * `@actions/github`'s `context`, an env singleton built at import time). Parsing is pure
 * (`parseRunContext(env, payload)`), so tests feed sample event payloads; only
 * `readRunContext` touches the event file.
 */
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import type { RunContext } from '../matrix/run-matrix.js';
import type { RunEvent } from '../pipeline.js';

/** The pull request of a `pull_request` / `pull_request_target` event. */
export interface PullRequestInfo {
  readonly number: number;
  /** `pull_request.base.sha`: the base branch head when the event fired. */
  readonly baseSha: string;
  /** `pull_request.head.sha`: the commit the author pushed. */
  readonly headSha: string;
  /** True when the head repository differs from the base one: a fork PR, read-only token. */
  readonly isFork: boolean;
  /** `owner/repo` of the head, when the payload names it. */
  readonly headRepo?: string;
}

/** What the Action knows about the run it is part of. */
export interface ActionRunContext {
  /** `GITHUB_EVENT_NAME`: `push`, `pull_request`, `schedule`, `workflow_dispatch`, ... */
  readonly eventName: string;
  /** From `GITHUB_REPOSITORY` (`owner/repo`); undefined outside Actions. */
  readonly owner?: string;
  readonly repo?: string;
  /** `GITHUB_SHA`: for a PR the merge commit GitHub built, for a push the pushed commit. */
  readonly sha?: string;
  /** `GITHUB_REF`: `refs/heads/main`, `refs/tags/v1.2.0`, `refs/pull/7/merge`, ... */
  readonly ref?: string;
  /** `repository.default_branch` of the event payload (`main`), when present. */
  readonly defaultBranch?: string;
  /** A push to the repository's default branch. */
  readonly isDefaultBranch: boolean;
  /** A push of a tag (a release). */
  readonly isTag: boolean;
  /** Set for `pull_request` and `pull_request_target` events whose payload has the PR. */
  readonly pullRequest?: PullRequestInfo;
  /** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`, when known. */
  readonly runUrl?: string;
  /** `GITHUB_API_URL` (GHES: `https://host/api/v3`), default `https://api.github.com`. */
  readonly apiUrl: string;
  /**
   * Environment label stored with each run and part of the comparison key (docs/statistics.md):
   * `TTG_LABEL` if set, else `RUNNER_NAME` on a self-hosted runner, else
   * `github-hosted <os>-<arch>` (hosted runner names change every job).
   */
  readonly label: string;
  /** `RUNNER_TEMP`: scratch space the runner empties after each job. */
  readonly tempDir?: string;
}

/** The environment variables read (a subset of `process.env`). */
export type ActionEnv = Readonly<Record<string, string | undefined>>;

/** Events whose payload carries `pull_request`. */
export const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

/** Reads `GITHUB_EVENT_PATH` and parses the context; an unreadable event file is a warning. */
export async function readRunContext(env: ActionEnv, log: Logger): Promise<ActionRunContext> {
  const path = nonEmpty(env['GITHUB_EVENT_PATH']);
  let payload: unknown = {};
  if (path !== undefined) {
    try {
      payload = JSON.parse(await readFile(path, 'utf8'));
    } catch (err: unknown) {
      log.warn(
        `GITHUB_EVENT_PATH ${path} could not be read (${errorMessage(err)}): PR details and the default branch are unknown`,
      );
    }
  }
  return parseRunContext(env, payload);
}

/** Pure: the context from environment variables and the parsed event payload. */
export function parseRunContext(env: ActionEnv, payload: unknown): ActionRunContext {
  const eventName = nonEmpty(env['GITHUB_EVENT_NAME']) ?? 'unknown';
  const [owner, repo] = splitRepository(
    nonEmpty(env['GITHUB_REPOSITORY']) ?? stringAt(payload, ['repository', 'full_name']),
  );
  const ref = nonEmpty(env['GITHUB_REF']);
  const defaultBranch = stringAt(payload, ['repository', 'default_branch']);
  const isPush = eventName === 'push';
  const pullRequest = PULL_REQUEST_EVENTS.includes(eventName) ? pullRequestOf(payload, owner, repo) : undefined;
  const runUrl = runUrlOf(env);
  const tempDir = nonEmpty(env['RUNNER_TEMP']);
  const sha = nonEmpty(env['GITHUB_SHA']);
  return {
    eventName,
    ...(owner === undefined || repo === undefined ? {} : { owner, repo }),
    ...(sha === undefined ? {} : { sha }),
    ...(ref === undefined ? {} : { ref }),
    ...(defaultBranch === undefined ? {} : { defaultBranch }),
    isDefaultBranch: isPush && defaultBranch !== undefined && ref === `refs/heads/${defaultBranch}`,
    isTag: isPush && ref?.startsWith('refs/tags/') === true,
    ...(pullRequest === undefined ? {} : { pullRequest }),
    ...(runUrl === undefined ? {} : { runUrl }),
    apiUrl: (nonEmpty(env['GITHUB_API_URL']) ?? 'https://api.github.com').replace(/\/+$/, ''),
    label: labelOf(env),
    ...(tempDir === undefined ? {} : { tempDir }),
  };
}

/** The pipeline's view of the event (save policy, docs/architecture.md#config `save-baseline`). */
export function runEventOf(context: ActionRunContext): RunEvent {
  return { name: context.eventName, isDefaultBranch: context.isDefaultBranch, isTag: context.isTag };
}

/**
 * What the run records about where it comes from. In a PR `sha` is the head the author pushed
 * (what the comment names), not GitHub's merge commit; PR runs are never stored anyway.
 */
export function matrixContextOf(context: ActionRunContext): RunContext {
  const pr = context.pullRequest;
  const sha = pr?.headSha ?? context.sha;
  return {
    source: {
      event: context.eventName,
      ...(sha === undefined ? {} : { sha }),
      ...(context.ref === undefined ? {} : { ref: context.ref }),
      ...(pr === undefined ? {} : { baseSha: pr.baseSha, prNumber: pr.number }),
    },
    label: context.label,
  };
}

function labelOf(env: ActionEnv): string {
  const explicit = nonEmpty(env['TTG_LABEL']);
  if (explicit !== undefined) return explicit;
  if (env['RUNNER_ENVIRONMENT'] === 'github-hosted') {
    const platform = [env['RUNNER_OS'], env['RUNNER_ARCH']].flatMap((part) => nonEmpty(part) ?? []).join('-');
    return platform === '' ? 'github-hosted' : `github-hosted ${platform}`;
  }
  return nonEmpty(env['RUNNER_NAME']) ?? '';
}

function pullRequestOf(
  payload: unknown,
  owner: string | undefined,
  repo: string | undefined,
): PullRequestInfo | undefined {
  const number = valueAt(payload, ['pull_request', 'number']) ?? valueAt(payload, ['number']);
  const baseSha = stringAt(payload, ['pull_request', 'base', 'sha']);
  const headSha = stringAt(payload, ['pull_request', 'head', 'sha']);
  if (
    typeof number !== 'number' ||
    !Number.isInteger(number) ||
    number < 1 ||
    baseSha === undefined ||
    headSha === undefined
  ) {
    return undefined;
  }
  const headRepo = stringAt(payload, ['pull_request', 'head', 'repo', 'full_name']);
  const baseRepo =
    stringAt(payload, ['pull_request', 'base', 'repo', 'full_name']) ??
    (owner === undefined ? undefined : `${owner}/${repo ?? ''}`);
  // A deleted fork has `head.repo: null`: still a fork, still a read-only token.
  const isFork =
    headRepo === undefined ? valueAt(payload, ['pull_request', 'head', 'repo']) === null : headRepo !== baseRepo;
  return { number, baseSha, headSha, isFork, ...(headRepo === undefined ? {} : { headRepo }) };
}

function runUrlOf(env: ActionEnv): string | undefined {
  const server = nonEmpty(env['GITHUB_SERVER_URL']);
  const repository = nonEmpty(env['GITHUB_REPOSITORY']);
  const runId = nonEmpty(env['GITHUB_RUN_ID']);
  if (server === undefined || repository === undefined || runId === undefined) return undefined;
  return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}`;
}

function splitRepository(value: string | undefined): [string | undefined, string | undefined] {
  const match = value === undefined ? null : /^([^/\s]+)\/([^/\s]+)$/.exec(value);
  return match === null ? [undefined, undefined] : [match[1], match[2]];
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function stringAt(value: unknown, path: readonly string[]): string | undefined {
  const found = valueAt(value, path);
  return typeof found === 'string' ? nonEmpty(found) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
