// The model lease's pure logic (docs/reliability.md#lease): wait, take, keep or take over, from a
// live model and a clock; and the lease entry's round trip through a model config.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ModelConfigSchema, ModelParameterSchema } from '../../../src/gen/model_config_pb.js';
import { configHash } from '../../../src/control/override-config.js';
import {
  decideLease,
  describeLease,
  LEASE_PARAMETER,
  leaseOf,
  leaseStamp,
  withLease,
  withoutLease,
  type Lease,
  type LeaseContext,
  type LiveModel,
} from '../../../src/control/model-lease.js';

const T0 = 1_800_000_000_000;
const OTHER: Lease = {
  id: 'aaaaaaaa-1111',
  host: 'runner-1',
  pid: 4242,
  label: 'GitHub run 77 job bench',
  takenAtMs: T0,
  renewedAtMs: T0 + 60_000,
  ttlMs: 600_000,
};
const CONTEXT: LeaseContext = {
  selfId: 'bbbbbbbb-2222',
  nowMs: T0 + 90_000,
  isHolderGone: false,
  unavailableGraceMs: 2000,
  isLastChangeOurs: false,
};

const ready = (lease: Lease | 'malformed' | undefined): LiveModel => ({ kind: 'ready', lease });

describe('decideLease', () => {
  it('takes a served model without a lease (its config is the file config)', () => {
    expect(decideLease(ready(undefined), CONTEXT)).toEqual({ action: 'take' });
  });

  it('keeps its own lease', () => {
    expect(decideLease(ready({ ...OTHER, id: CONTEXT.selfId }), CONTEXT)).toEqual({ action: 'held' });
  });

  it("waits for another run's fresh lease, naming the holder and its age", () => {
    const decision = decideLease(ready(OTHER), CONTEXT);
    expect(decision).toEqual({
      action: 'wait',
      reason:
        'run aaaaaaaa (GitHub run 77 job bench) on host runner-1, pid 4242, holding it for 90 s, fresh for 570 s more',
    });
  });

  it('waits up to the last millisecond of the lease and takes it over one after', () => {
    const expiry = OTHER.renewedAtMs + OTHER.ttlMs;
    expect(decideLease(ready(OTHER), { ...CONTEXT, nowMs: expiry }).action).toBe('wait');
    const after = decideLease(ready(OTHER), { ...CONTEXT, nowMs: expiry + 1 });
    expect(after.action).toBe('takeover');
    expect(after).toMatchObject({ reason: expect.stringMatching(/expired 0 s ago; the lease expired$/) as unknown });
  });

  it('takes over a fresh lease whose holder process is gone', () => {
    const decision = decideLease(ready(OTHER), { ...CONTEXT, isHolderGone: true });
    expect(decision).toMatchObject({ action: 'takeover', reason: expect.stringContaining('pid 4242') as unknown });
    expect(decision).toMatchObject({ reason: expect.stringMatching(/that process is gone$/) as unknown });
  });

  it('takes over an entry it did not write', () => {
    expect(decideLease(ready('malformed'), CONTEXT)).toMatchObject({ action: 'takeover' });
  });

  it.each(['LOADING', 'UNLOADING'])('waits while the model is %s (someone is changing it)', (state) => {
    expect(decideLease({ kind: 'changing', state }, CONTEXT)).toMatchObject({
      action: 'wait',
      reason: expect.stringContaining(state) as unknown,
    });
  });

  it('waits for an unloaded model only for the grace (the gap between a holder’s unload and load)', () => {
    const live = (forMs: number): LiveModel => ({ kind: 'unavailable', state: 'UNAVAILABLE (unloaded)', forMs });
    expect(decideLease(live(0), CONTEXT).action).toBe('wait');
    expect(decideLease(live(1999), CONTEXT).action).toBe('wait');
    expect(decideLease(live(2000), CONTEXT).action).toBe('take');
  });

  it('does not wait for a model its own last load left LOADING or unloaded', () => {
    const own = { ...CONTEXT, isLastChangeOurs: true };
    expect(decideLease({ kind: 'changing', state: 'LOADING' }, own).action).toBe('take');
    expect(decideLease({ kind: 'unavailable', state: 'UNAVAILABLE', forMs: 0 }, own).action).toBe('take');
    // ...but a served model with another run's lease is that run's, whoever changed it last.
    expect(decideLease(ready(OTHER), own).action).toBe('wait');
  });

  it('takes a model that is not in the repository index (no run is changing it)', () => {
    expect(decideLease({ kind: 'absent' }, CONTEXT)).toEqual({ action: 'take' });
  });
});

describe('describeLease', () => {
  it('says how long it was held and how long it stays fresh', () => {
    expect(describeLease(OTHER, T0)).toBe(
      'run aaaaaaaa (GitHub run 77 job bench) on host runner-1, pid 4242, holding it for 0 s, fresh for 660 s more',
    );
    expect(describeLease(OTHER, T0 + 700_000)).toMatch(/holding it for 700 s, expired 40 s ago$/);
  });
});

describe('the lease entry in a model config', () => {
  const base = create(ModelConfigSchema, {
    name: 'm',
    maxBatchSize: 8,
    parameters: { slowdown_us: create(ModelParameterSchema, { stringValue: '0' }) },
  });

  it('round-trips through withLease and leaseOf, leaving other parameters alone', () => {
    const stamped = withLease(base, OTHER);
    expect(leaseOf(stamped)).toEqual(OTHER);
    expect(stamped.parameters['slowdown_us']?.stringValue).toBe('0');
    expect(leaseOf(base)).toBeUndefined();
    expect(base.parameters[LEASE_PARAMETER]).toBeUndefined(); // the input is not mutated
  });

  it('reads an entry that is not JSON, or JSON of another shape, as malformed', () => {
    const junk = (value: string) =>
      create(ModelConfigSchema, {
        parameters: { [LEASE_PARAMETER]: create(ModelParameterSchema, { stringValue: value }) },
      });
    expect(leaseOf(junk('held by me'))).toBe('malformed');
    expect(leaseOf(junk('{"id":"x"}'))).toBe('malformed');
    expect(leaseOf(junk(JSON.stringify({ ...OTHER, ttlMs: 'long' })))).toBe('malformed');
  });

  it('tells two loads of the same run apart by their stamp (renewed at each load)', () => {
    const first = withLease(base, OTHER);
    const second = withLease(base, { ...OTHER, renewedAtMs: OTHER.renewedAtMs + 1 });
    expect(leaseStamp(first)).not.toBe(leaseStamp(second));
    expect(leaseStamp(base)).toBe('');
  });

  it('withoutLease drops only the lease; configHash ignores it', () => {
    const stamped = withLease(base, OTHER);
    expect(leaseOf(withoutLease(stamped))).toBeUndefined();
    expect(withoutLease(stamped).parameters['slowdown_us']?.stringValue).toBe('0');
    expect(configHash(stamped)).toBe(configHash(base));
  });
});
