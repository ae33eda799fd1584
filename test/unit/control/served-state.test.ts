// What the journal compares and brings back: configs equal field by field (map order aside, the
// lease aside), and the target a recorded state asks for.
import { clone, create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ModelConfigSchema, ModelParameterSchema } from '../../../src/gen/model_config_pb.js';
import { withLease } from '../../../src/control/model-lease.js';
import { describeServedState, isSameConfig, targetOf } from '../../../src/control/served-state.js';

function config(order: readonly string[], maxBatch = 64) {
  const parameters = Object.fromEntries(order.map((key) => [key, create(ModelParameterSchema, { stringValue: key })]));
  return create(ModelConfigSchema, { name: 'm', maxBatchSize: maxBatch, parameters });
}

const LEASE = { id: 'x', host: 'h', pid: 1, label: 'cli', takenAtMs: 0, renewedAtMs: 0, ttlMs: 1 };

describe('isSameConfig', () => {
  it('ignores the order Triton lists parameters in after a reload, and the lease', () => {
    const before = config(['slowdown_us', 'max_batch_limit']);
    expect(isSameConfig(before, config(['max_batch_limit', 'slowdown_us']))).toBe(true);
    expect(isSameConfig(before, withLease(before, LEASE))).toBe(true);
  });

  it('sees any other difference', () => {
    const before = config(['slowdown_us']);
    expect(isSameConfig(before, config(['slowdown_us'], 32))).toBe(false);
    const other = clone(ModelConfigSchema, before);
    other.parameters['slowdown_us'] = create(ModelParameterSchema, { stringValue: '200' });
    expect(isSameConfig(before, other)).toBe(false);
  });
});

describe('targetOf', () => {
  it('gives back exactly what was served; a stale run’s override (with its lease) becomes the file config', () => {
    const served = config(['a']);
    expect(targetOf({ kind: 'served', config: served })).toEqual({ kind: 'config', config: served });
    expect(targetOf({ kind: 'served', config: withLease(served, LEASE) })).toEqual({ kind: 'file-config' });
    expect(targetOf({ kind: 'not-served', state: 'UNAVAILABLE: unloaded' })).toEqual({ kind: 'not-served' });
    expect(describeServedState({ kind: 'not-served', state: 'UNAVAILABLE: unloaded' })).toBe(
      'not served (UNAVAILABLE: unloaded)',
    );
  });
});
