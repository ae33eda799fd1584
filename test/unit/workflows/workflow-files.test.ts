// The workflows users copy and the ones this repository runs (.github/workflows/**), beyond what
// actionlint (`npm run lint:workflows`) checks: the README's quick start is the example file,
// every actions/* step is on its Node 24 major, `concurrency.queue` is valid (actionlint 1.7.12
// does not know the key, .github/actionlint.yaml), jobs that write the repository queue, and no
// self-hosted job runs a fork's pull request. Also the action's Marketplace description.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '../../..');
const WORKFLOWS = join(ROOT, '.github/workflows');

/** The first major of each actions/* action on Node 24 (runner ≥ 2.327.1); one used here and missing fails. */
const NODE24_MAJOR: Readonly<Record<string, number>> = {
  'actions/checkout': 6,
  'actions/upload-artifact': 6,
  'actions/download-artifact': 7,
  'actions/cache': 5,
  'actions/setup-go': 7,
};

interface Concurrency {
  readonly group?: string;
  readonly 'cancel-in-progress'?: boolean | string;
  readonly queue?: string;
}
interface Job {
  readonly if?: string;
  readonly 'runs-on'?: string | readonly string[];
  readonly permissions?: Readonly<Record<string, string>>;
  readonly concurrency?: Concurrency;
  readonly steps?: readonly { readonly uses?: string }[];
}
interface Workflow {
  readonly on: Readonly<Record<string, unknown>>;
  readonly concurrency?: Concurrency;
  readonly jobs: Readonly<Record<string, Job>>;
}

function workflowFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? workflowFiles(join(dir, entry.name))
      : /\.ya?ml$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

const workflows = workflowFiles(WORKFLOWS).map((file) => ({
  name: relative(ROOT, file),
  text: readFileSync(file, 'utf8'),
  workflow: parse(readFileSync(file, 'utf8')) as Workflow,
}));
const jobs = workflows.flatMap(({ name, workflow }) =>
  Object.entries(workflow.jobs).map(([id, job]) => ({ where: `${name} job ${id}`, workflow, job })),
);

/** An `if:` that admits named events only, none of them a pull request (`github.event_name == 'push' || …`). */
function isOnlyForOtherEvents(condition: string | undefined): boolean {
  return (
    condition !== undefined && /^\(?github\.event_name == '/.test(condition) && !condition.includes('pull_request')
  );
}

describe('workflow files', () => {
  it('the README’s first workflow is the paired quick start example, byte for byte', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const first = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(first).toBe(readFileSync(join(WORKFLOWS, 'examples/pr-check-paired.yml'), 'utf8'));
  });

  it.each(workflows.map(({ name, text }) => [name, text]))(
    '%s uses the Node 24 major of every actions/* action',
    (_name, text) => {
      for (const [, action = '', major = ''] of text.matchAll(/uses:\s*(actions\/[\w-]+)@v(\d+)/g)) {
        expect(NODE24_MAJOR[action], `${action}: add its Node 24 major to NODE24_MAJOR`).toBeDefined();
        expect(Number(major), action).toBeGreaterThanOrEqual(NODE24_MAJOR[action] ?? Infinity);
      }
    },
  );

  it.each(jobs.map(({ where, workflow, job }) => [where, workflow, job] as const))(
    '%s: concurrency.queue is single or max, never max with cancel-in-progress: true',
    (_where, workflow, job) => {
      for (const concurrency of [workflow.concurrency, job.concurrency]) {
        if (concurrency?.queue === undefined) continue;
        expect(['single', 'max']).toContain(concurrency.queue);
        if (concurrency.queue === 'max') expect(concurrency['cancel-in-progress']).not.toBe(true);
      }
    },
  );

  it.each(
    jobs
      .filter(({ job }) => job.permissions?.['contents'] === 'write')
      .map(({ where, workflow, job }) => [where, workflow, job] as const),
  )(
    '%s writes the repository, so its runs queue (queue: max) instead of a newer pending run cancelling one',
    (_where, workflow, job) => {
      expect((job.concurrency ?? workflow.concurrency)?.queue).toBe('max');
    },
  );

  it.each(
    jobs
      .filter(({ workflow, job }) => 'pull_request' in workflow.on && [job['runs-on']].flat().includes('self-hosted'))
      .filter(({ job }) => !isOnlyForOtherEvents(job.if))
      .map(({ where, job }) => [where, job] as const),
  )('%s skips fork pull requests on the self-hosted runner', (_where, job) => {
    expect(job.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
  });
});

describe('action.yml', () => {
  it('has a Marketplace description under 125 characters', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { description: string };
    expect(action.description.length).toBeLessThan(125);
  });
});
