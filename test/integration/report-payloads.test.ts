/**
 * Markdown, HTML and mention payloads (test/support/report-payloads.ts) from a REAL Triton: a
 * `models` strategy row whose load fails, so Triton's own error message echoes the payload into
 * the report, which must escape it (issue 6; the same payloads in every other field a report
 * quotes: test/faults/security/report-payloads.test.ts). The comment markdown is parsed with
 * `marked` (test/support/inert-markdown.ts): nothing may be live. The failed load is of a model
 * the repository does not have, which leaves no state behind on the shared server.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { CONTROLLER_FACTORIES } from '../../src/control/controllers.js';
import { runShellCommand } from '../../src/control/run-shell-command.js';
import { silentLogger } from '../../src/logger.js';
import type { RunResult } from '../../src/model/run-result.js';
import { runMatrix } from '../../src/matrix/run-matrix.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { findLiveMarkup, INERT } from '../support/inert-markdown.js';
import { PAYLOAD, reportOf, RUN_URL } from '../support/report-payloads.js';
import { sharedTriton } from '../support/shared-triton.js';

const address = sharedTriton().grpcUrl;

describe('payloads in a real Triton error message', () => {
  it('are escaped in the failed row of the report', async () => {
    // The name template is the user's; Triton quotes the model name it could not load.
    const template = `x{max_batch}${PAYLOAD.replaceAll('/', '-')}`;
    const config = parseConfig({
      'server-url': address,
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
    const client = new TritonClient({ address: address, isTls: false });
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
