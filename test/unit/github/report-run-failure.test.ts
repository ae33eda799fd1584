import { describe, expect, it } from 'vitest';
import { reportRunFailure, runFailureMarkdown } from '../../../src/github/report-run-failure.js';

describe('reportRunFailure', () => {
  it('writes an escaped summary and verdict failure', async () => {
    const written: string[] = [];
    const outputs: Record<string, string> = {};
    const summary = {
      addRaw: (text: string) => {
        written.push(text);
        return summary;
      },
      write: () => Promise.resolve(summary),
    };
    await reportRunFailure(
      {
        summary: summary as never,
        isSummaryAvailable: true,
        setOutput: (k: string, v: unknown) => {
          outputs[k] = String(v);
        },
      },
      'TritonError',
      'model <b>x</b> @org/team',
    );
    expect(outputs['verdict']).toBe('failure');
    expect(written.join('')).toContain('TritonError');
    expect(written.join('')).not.toContain('<b>');
    expect(written.join('')).not.toMatch(/@org\/team/);
  });

  it('never throws when the summary cannot be written', async () => {
    const summary = {
      addRaw: () => {
        throw new Error('disk full');
      },
      write: () => Promise.resolve(),
    };
    await expect(
      reportRunFailure(
        { summary: summary as never, isSummaryAvailable: true, setOutput: () => undefined },
        'Error',
        'x',
      ),
    ).resolves.toBeUndefined();
    expect(runFailureMarkdown('E', 'm')).toMatch(/could not run/);
  });
});
