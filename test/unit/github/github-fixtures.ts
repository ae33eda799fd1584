/**
 * Fakes for the github/ and sinks/ unit tests: pipeline results from the report scenarios, an in-memory
 * IssueCommentsClient (pages of comments, recorded calls, injectable failures) and a Logger
 * that keeps its lines. No sockets: the real Octokit against the fake GitHub is exercised by
 * test/integration/e2e-action.test.ts.
 */
import type { IssueComment, IssueCommentsClient } from '../../../src/github-api/issue-comments-client.js';
import type { Logger } from '../../../src/logger.js';
import type { PipelineResult } from '../../../src/pipeline.js';
import { renderReport } from '../../../src/report/render-report.js';
import type { CellComparison, Comparison, GateOutcome, Verdict } from '../../../src/model/comparison.js';
import { loadScenario, type ScenarioName } from '../../fixtures/scenarios.js';

/** A PipelineResult as the pipeline would hand it to the sinks. */
export function pipelineResult(scenario: ScenarioName = 'typical', gate?: Partial<GateOutcome>): PipelineResult {
  const loaded = loadScenario(scenario);
  const outcome: GateOutcome = { ...loaded.gate, ...gate };
  const report = renderReport(loaded.comparison, { benchmarkKey: loaded.comparison.run.benchmarkKey, gate: outcome });
  return { run: loaded.comparison.run, comparison: loaded.comparison, gate: outcome, report };
}

/** `result` with every cell's verdict replaced by `verdict` (and a passing gate unless given). */
export function withVerdicts(
  result: PipelineResult,
  verdict: Verdict,
  gate: Partial<GateOutcome> = {},
): PipelineResult {
  const cells: CellComparison[] = result.comparison.cells.map((cell) => ({ ...cell, verdict }));
  const comparison: Comparison = { ...result.comparison, cells };
  return {
    ...result,
    comparison,
    gate: { ...result.gate, verdict: 'pass', shouldFail: false, regressedCells: [], ...gate },
  };
}

/** A logger that keeps what it was told. */
export function collectingLogger(): Logger & { readonly infos: string[]; readonly warnings: string[] } {
  const infos: string[] = [];
  const warnings: string[] = [];
  return { infos, warnings, info: (line) => infos.push(line), warn: (line) => warnings.push(line) };
}

/** An Octokit-like request error (what `@octokit/request-error` carries). */
export function requestError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { name: 'HttpError', status, response: { headers } });
}

/** The in-memory client and what it saw. */
export interface FakeCommentsClient extends IssueCommentsClient {
  /** Comments per issue, oldest first. */
  readonly issues: Map<number, IssueComment[]>;
  /** Pages handed out by `listCommentPages`. */
  readonly pagesRead: number[];
  readonly writes: { readonly kind: 'create' | 'update'; readonly id: number; readonly body: string }[];
  /** The next create/update/list rejects with this. */
  failNext(kind: 'create' | 'update' | 'list', err: Error): void;
  /** Adds comments by other people (or any body) to `issue`, oldest first. */
  seed(issue: number, bodies: readonly (string | null)[]): void;
}

/** A fake with `perPage` comments per page (GitHub: up to 100). */
export function createFakeCommentsClient(perPage = 3): FakeCommentsClient {
  const issues = new Map<number, IssueComment[]>();
  const pagesRead: number[] = [];
  const writes: FakeCommentsClient['writes'] = [];
  const failures = new Map<string, Error>();
  let nextId = 100;
  const takeFailure = (kind: string): void => {
    const err = failures.get(kind);
    failures.delete(kind);
    if (err !== undefined) throw err;
  };
  const url = (issue: number, id: number): string => `https://github.com/o/r/issues/${issue}#issuecomment-${id}`;
  return {
    issues,
    pagesRead,
    writes,
    failNext: (kind, err) => failures.set(kind, err),
    seed: (issue, bodies) => {
      const seeded = bodies.map((body) => {
        const id = nextId++;
        return { id, body, html_url: url(issue, id) };
      });
      issues.set(issue, [...(issues.get(issue) ?? []), ...seeded]);
    },
    listCommentPages: async function* (issueNumber) {
      takeFailure('list');
      const all = issues.get(issueNumber) ?? [];
      for (let page = 0; page * perPage < all.length; page += 1) {
        pagesRead.push(page + 1);
        await Promise.resolve();
        yield all.slice(page * perPage, (page + 1) * perPage);
      }
    },
    createComment: (issueNumber, body) => {
      takeFailure('create');
      const id = nextId++;
      const comment = { id, body, html_url: url(issueNumber, id) };
      issues.set(issueNumber, [...(issues.get(issueNumber) ?? []), comment]);
      writes.push({ kind: 'create', id: comment.id, body });
      return Promise.resolve(comment);
    },
    updateComment: (commentId, body) => {
      takeFailure('update');
      for (const [issue, comments] of issues) {
        const index = comments.findIndex((comment) => comment.id === commentId);
        if (index < 0) continue;
        const updated = { id: commentId, body, html_url: url(issue, commentId) };
        comments[index] = updated;
        writes.push({ kind: 'update', id: commentId, body });
        return Promise.resolve(updated);
      }
      return Promise.reject(requestError(404, 'Not Found'));
    },
  };
}
