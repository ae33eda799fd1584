import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStoredRun, storedRunText, validateStoredRun } from '../../../src/baseline/stored-run.js';
import { makeRun } from '../../support/baseline-runs.js';

/** A valid run as plain JSON, to break one field at a time. */
function runJson(): Record<string, unknown> {
  return JSON.parse(storedRunText(makeRun({ sha: 'a'.repeat(40) }))) as Record<string, unknown>;
}

function skippedReason(value: unknown): string {
  const result = validateStoredRun(value);
  if (!('skipped' in result)) throw new Error('expected the value to be skipped');
  return result.skipped;
}

describe('validateStoredRun', () => {
  it('accepts a run written by this version and returns it unchanged', () => {
    const run = makeRun({ sha: 'a'.repeat(40) });
    const result = parseStoredRun(storedRunText(run));
    expect(result).toEqual({ run });
  });

  it('skips a run of a newer schema with the upgrade hint', () => {
    expect(skippedReason({ ...runJson(), schemaVersion: 3 })).toBe(
      'written by a newer triton-throughput-gate (schemaVersion 3 > 2); upgrade to compare against it',
    );
  });

  it('fills absent source, rows and notes so readers never meet undefined', () => {
    const json = runJson();
    delete json['source'];
    delete json['rows'];
    delete json['notes'];
    const result = validateStoredRun(json);
    expect(result).toMatchObject({ run: { source: {}, rows: [], notes: [] } });
  });

  it.each([
    ['not an object', [], 'not a JSON object'],
    ['null', null, 'not a JSON object'],
    ['no schemaVersion', { id: 'x' }, 'no integer `schemaVersion`'],
    ['schemaVersion as text', { ...runJson(), schemaVersion: '1' }, 'no integer `schemaVersion`'],
    ['schemaVersion 0', { ...runJson(), schemaVersion: 0 }, 'no integer `schemaVersion`'],
  ])('skips %s', (_name, value, reason) => {
    expect(skippedReason(value)).toContain(reason);
  });

  // Each case breaks one field of a valid run; the reason must name that field.
  const broken: readonly [string, (json: Record<string, unknown>) => void, string][] = [
    ['id missing', (json) => delete json['id'], '`id` is not a string'],
    ['environment missing', (json) => delete json['environment'], '`environment` is missing or not an object'],
    [
      'tritonVersion a number',
      (json) => ((json['environment'] as Record<string, unknown>)['tritonVersion'] = 2.51),
      '`environment.tritonVersion` is not a string',
    ],
    [
      'method.inputs a string',
      (json) => ((json['method'] as Record<string, unknown>)['inputs'] = 'x'),
      '`method.inputs` is not an array of strings',
    ],
    [
      'method.requests null',
      (json) => ((json['method'] as Record<string, unknown>)['requests'] = null),
      '`method.requests` is not a number',
    ],
    ['cells an object', (json) => (json['cells'] = {}), '`cells` is missing or not an array'],
    [
      'cell status unknown',
      (json) => (cellOf(json)['status'] = 'great'),
      '`cells[0].status` is not one of ok, noisy, failed',
    ],
    ['users 0', (json) => (cellOf(json)['users'] = 0), '`cells[0].users` is not an integer >= 1'],
    ['maxBatch fractional', (json) => (cellOf(json)['maxBatch'] = 8.5), '`cells[0].maxBatch` is not an integer >= 0'],
    ['trials missing', (json) => delete cellOf(json)['trials'], '`cells[0].trials` is missing or not an array'],
    ['dps as text', (json) => (trialOf(json)['dps'] = '1000'), '`cells[0].trials[0].dps` is not a number >= 0'],
    ['errors negative', (json) => (trialOf(json)['errors'] = -1), '`cells[0].trials[0].errors` is not a number >= 0'],
    ['isComplete as text', (json) => (json['isComplete'] = 'yes'), '`isComplete` is not a boolean'],
    ['source.sha a number', (json) => (json['source'] = { sha: 1 }), '`source.sha` is not a string'],
    [
      'gpuNames a string',
      (json) => (envOf(json)['gpuNames'] = 'NVIDIA L4'),
      '`environment.gpuNames` is not an array of strings',
    ],
    ['gpuDriver a number', (json) => (envOf(json)['gpuDriver'] = 535), '`environment.gpuDriver` is not a string'],
    [
      'batching without isDynamic',
      (json) => (envOf(json)['batching'] = { maxQueueDelayUs: 100, preferredBatchSizes: [] }),
      '`environment.batching.isDynamic` is not a boolean',
    ],
    [
      'queue delay negative',
      (json) => (envOf(json)['batching'] = { isDynamic: true, maxQueueDelayUs: -1, preferredBatchSizes: [] }),
      '`environment.batching.maxQueueDelayUs` is not a number >= 0',
    ],
  ];
  it.each(broken)('names the bad field: %s', (_name, breakIt, reason) => {
    const json = runJson();
    breakIt(json);
    expect(skippedReason(json)).toBe(`not a valid triton-throughput-gate result: ${reason}`);
  });

  it('loads a run stored before the fingerprint had GPU, driver, tool version, transport and batching', () => {
    // The environment as version 0.1.0 wrote it in schemaVersion 1 files: six strings.
    const json = runJson();
    json['schemaVersion'] = 1;
    json['environment'] = {
      tritonVersion: '2.50.0',
      model: 'demo',
      modelVersion: '1',
      configHash: '0123456789abcdef',
      clientHost: 'fv-az1',
      label: 'gpu-a10',
    };
    const result = validateStoredRun(json);
    expect(result).toMatchObject({ run: { environment: { tritonVersion: '2.50.0', label: 'gpu-a10' } } });
    if (!('run' in result)) throw new Error('expected the old run to load');
    expect(result.run.environment.gpuNames).toBeUndefined();
    expect(result.run.environment.batching).toBeUndefined();
  });

  it('keeps the fingerprint fields of a run written by this version', () => {
    const environment = {
      gpuNames: ['NVIDIA L4'],
      gpuDriver: '550.54.15',
      toolVersion: '0.2.0',
      transport: 'h2',
      batching: { isDynamic: true, maxQueueDelayUs: 100, preferredBatchSizes: [4, 8] },
    };
    const run = makeRun({ sha: 'a'.repeat(40), environment });
    expect(parseStoredRun(storedRunText(run))).toMatchObject({ run: { environment } });
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validateStoredRun(value);
        expect('run' in result || 'skipped' in result).toBe(true);
      }),
    );
  });
});

describe('parseStoredRun', () => {
  it('skips every truncation of a valid file as invalid JSON (a write cut short)', () => {
    const text = storedRunText(makeRun());
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.trimEnd().length - 1 }), (length) => {
        const result = parseStoredRun(text.slice(0, length));
        expect(result).toEqual({ skipped: expect.stringMatching(/^not valid JSON \(/) as unknown });
      }),
    );
  });

  it('skips text that is not JSON at all', () => {
    expect(parseStoredRun('<html>502 Bad Gateway</html>')).toEqual({
      skipped: expect.stringMatching(/^not valid JSON/) as unknown,
    });
  });
});

function cellOf(json: Record<string, unknown>): Record<string, unknown> {
  const [cell] = json['cells'] as Record<string, unknown>[];
  if (cell === undefined) throw new Error('fixture has no cell');
  return cell;
}

function envOf(json: Record<string, unknown>): Record<string, unknown> {
  return json['environment'] as Record<string, unknown>;
}

function trialOf(json: Record<string, unknown>): Record<string, unknown> {
  const [trial] = cellOf(json)['trials'] as Record<string, unknown>[];
  if (trial === undefined) throw new Error('fixture has no trial');
  return trial;
}
