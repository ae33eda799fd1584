/**
 * Markdown, HTML and mention payloads in everything a report quotes (issue 6, docs/architecture.md#comparison-store-and-reports): a
 * model name, a row's and a cell's server message, a note and a runner label carrying
 * `@org/team`, `<img src=x onerror=alert(1)>`, `](javascript:...)`, table breakers and more.
 * First through `renderReport` directly, then from a REAL Triton: a `models` strategy row whose
 * load fails, so Triton's own error message echoes the payload into the report. The comment
 * markdown is parsed with `marked` (test/support/inert-markdown.ts): nothing may be live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTritonInstalled, startTriton, type TritonProcess } from '../../../scripts/triton/triton-server.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { CONTROLLER_FACTORIES } from '../../../src/control/controllers.js';
import { runShellCommand } from '../../../src/control/run-shell-command.js';
import { silentLogger } from '../../../src/logger.js';
import type { Cell, RunResult } from '../../../src/model/run-result.js';
import { runMatrix } from '../../../src/matrix/run-matrix.js';
import { evaluateRun } from '../../../src/pipeline.js';
import { TritonClient } from '../../../src/triton/triton-client.js';
import { makeRun } from '../../support/baseline-runs.js';
import { findLiveMarkup, INERT } from '../../support/inert-markdown.js';

/** Every payload kind the issue names, and a few GitHub-specific ones. */
const PAYLOAD = [
  '@org/team @octocat',
  '<img src=x onerror=alert(1)>',
  '](javascript:alert(1))',
  '[click](javascript:alert(1))',
  '![pixel](https://evil.example/p.png)',
  '| table | breaker |',
  '<script>alert(1)</script>',
  '<details open><summary>x</summary>',
  'https://evil.example/autolink',
  '#1 `code` *em* _em_ ~~del~~ $x^2$',
].join(' ');

const EMPTY_BASELINE = { runs: [], selectedBy: 'none', history: [], notes: [] } as const;
const RUN_URL = 'https://github.com/acme/models/actions/runs/1';

function reportOf(run: RunResult): string {
  const config = parseConfig({ model: 'demo', 'benchmark-key': run.benchmarkKey });
  return evaluateRun(run, EMPTY_BASELINE, config, { runUrl: RUN_URL }).report.markdown;
}

describe('the inertness check itself', () => {
  it('finds live markup in the raw payload', () => {
    const live = findLiveMarkup(`${PAYLOAD}\n\n| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n`);
    expect(live.html.length).toBeGreaterThan(0);
    expect(live.links).toContain('javascript:alert(1)');
    expect(live.images).toContain('https://evil.example/p.png');
    expect(live.mentions).toContain('@org/team');
    expect(live.brokenTables).toHaveLength(1);
  });
});

describe('payloads in a run result', () => {
  it('are escaped wherever the report quotes them', () => {
    const base = makeRun({ benchmarkKey: 'payloads', environment: { model: `m ${PAYLOAD}`, label: `gpu ${PAYLOAD}` } });
    const [okCell] = base.cells;
    if (okCell === undefined) throw new Error('makeRun has a cell');
    const failedCell: Cell = {
      ...okCell,
      maxBatch: 16,
      users: 1,
      status: 'failed',
      message: `cell: ${PAYLOAD}`,
      trials: [],
      dpsMedian: 0,
    };
    const run: RunResult = {
      ...base,
      rows: [
        ...base.rows,
        { maxBatch: 32, model: `row ${PAYLOAD}`, status: 'failed', message: `load: ${PAYLOAD}`, applySeconds: 1 },
        { maxBatch: 16, model: 'ok', status: 'ok', applySeconds: 1 },
      ],
      cells: [...base.cells, failedCell, { ...failedCell, maxBatch: 32, message: `load: ${PAYLOAD}` }],
      notes: [`note: ${PAYLOAD}`],
      isComplete: false,
    };
    const markdown = reportOf(run);
    // Each payload-carrying field made it into the comment (escaped), so the check means something.
    expect(markdown).toContain('\\[click\\]');
    expect(markdown.match(/&lt;img src=x onerror=alert\(1\)&gt;/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    expect(findLiveMarkup(markdown, [RUN_URL])).toEqual(INERT);
  });
});

describe('payloads in a real Triton error message', () => {
  let triton: TritonProcess;

  beforeAll(async () => {
    await ensureTritonInstalled();
    triton = await startTriton({ host: '127.0.0.1', grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  }, 180_000);

  afterAll(async () => {
    await triton.stop();
  }, 60_000);

  it('are escaped in the failed row of the report', async () => {
    // The name template is the user's; Triton quotes the model name it could not load.
    const template = `x{max_batch}${PAYLOAD.replaceAll('/', '-')}`;
    const config = parseConfig({
      'server-url': triton.grpcUrl,
      model: 'demo_onnx',
      'batch-strategy': 'models',
      'model-template': template,
      'benchmark-key': 'payloads',
      'max-batch': '8',
      users: '1',
      requests: '8',
      trials: '3',
      'warmup-requests': '0',
      'baseline-store': 'none',
    });
    const client = new TritonClient({ address: triton.grpcUrl, isTls: false });
    let run: RunResult;
    try {
      const controller = CONTROLLER_FACTORIES.models({
        client,
        config,
        log: silentLogger,
        runCommand: runShellCommand,
      });
      run = await runMatrix(
        config,
        {
          client,
          transport: client.inferTransport(),
          controller,
          log: silentLogger,
          files: new Map(),
          signal: new AbortController().signal,
        },
        { source: { event: 'test' }, label: 'ci' },
      );
    } finally {
      client.close();
    }
    expect(run.rows[0]).toMatchObject({ maxBatch: 8, status: 'failed' });
    // Triton's own text carries the payload (so the report must escape a server message).
    expect(run.rows[0]?.message).toContain('<img src=x onerror=alert(1)>');
    expect(run.rows[0]?.message).toMatch(/^RepositoryModelLoad on .* failed with /);
    const markdown = reportOf(run);
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(findLiveMarkup(markdown, [RUN_URL])).toEqual(INERT);
  });
});
