/**
 * The run's environment fingerprint (src/matrix/environment-of.ts): dynamic batching as the run
 * used it, the GPUs that served it, the tool version, and what is left out when unknown.
 */
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.js';
import { ModelConfigSchema, type ModelConfig } from '../../../src/gen/model_config_pb.js';
import { batchingOf, environmentOf, type EnvironmentParts } from '../../../src/matrix/environment-of.js';

function modelConfig(batching?: { preferredBatchSize: number[]; maxQueueDelayMicroseconds: bigint }): ModelConfig {
  return create(ModelConfigSchema, {
    name: 'demo',
    backend: 'python',
    maxBatchSize: 64,
    ...(batching === undefined ? {} : { schedulingChoice: { case: 'dynamicBatching', value: batching } }),
  });
}

const L4 = { name: 'NVIDIA L4', driver: '550.54.15', uuid: 'GPU-aa' };

function parts(overrides: Partial<EnvironmentParts> = {}): EnvironmentParts {
  return {
    config: parseConfig({ model: 'demo', transport: 'grpc-js' }),
    tritonVersion: '2.51.0',
    clientHost: 'runner-1',
    label: 'gpu-l4',
    runnerGpus: [],
    serverGpuUuids: [],
    toolVersion: '0.1.0',
    ...overrides,
  };
}

describe('batchingOf', () => {
  it('reads the queue delay and preferred sizes (sorted) of a dynamic batcher', () => {
    const config = modelConfig({ preferredBatchSize: [16, 4, 8], maxQueueDelayMicroseconds: 100n });
    expect(batchingOf(config, undefined)).toEqual({
      isDynamic: true,
      maxQueueDelayUs: 100,
      preferredBatchSizes: [4, 8, 16],
    });
  });

  it('takes the max-queue-delay-us input over the config, as the reload strategy applies it', () => {
    const config = modelConfig({ preferredBatchSize: [], maxQueueDelayMicroseconds: 100n });
    expect(batchingOf(config, 2500)).toEqual({ isDynamic: true, maxQueueDelayUs: 2500, preferredBatchSizes: [] });
  });

  it('records the size Triton fills in ([max_batch_size] alone) as none', () => {
    const config = modelConfig({ preferredBatchSize: [64], maxQueueDelayMicroseconds: 0n });
    expect(batchingOf(config, undefined).preferredBatchSizes).toEqual([]);
    const explicit = modelConfig({ preferredBatchSize: [32, 64], maxQueueDelayMicroseconds: 0n });
    expect(batchingOf(explicit, undefined).preferredBatchSizes).toEqual([32, 64]);
  });

  it('says so when the model has no dynamic batching', () => {
    expect(batchingOf(modelConfig(), 500)).toEqual({ isDynamic: false, maxQueueDelayUs: 0, preferredBatchSizes: [] });
  });
});

describe('environmentOf', () => {
  it('records Triton, model, transport, tool version, GPUs and batching', () => {
    const config = modelConfig({ preferredBatchSize: [8], maxQueueDelayMicroseconds: 200n });
    const environment = environmentOf(
      parts({ modelVersion: '3', modelConfig: config, runnerGpus: [L4], serverGpuUuids: ['GPU-aa'] }),
    );
    expect(environment).toEqual({
      tritonVersion: '2.51.0',
      model: 'demo',
      modelVersion: '3',
      configHash: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown,
      clientHost: 'runner-1',
      label: 'gpu-l4',
      transport: 'grpc-js',
      gpus: ['GPU-aa'],
      gpuNames: ['NVIDIA L4'],
      gpuDriver: '550.54.15',
      toolVersion: '0.1.0',
      batching: { isDynamic: true, maxQueueDelayUs: 200, preferredBatchSizes: [8] },
    });
  });

  it('leaves out what it does not know: no config read, no GPUs, no metrics', () => {
    const environment = environmentOf(parts());
    expect(environment.configHash).toBe('');
    expect(environment.modelVersion).toBe('');
    for (const field of ['batching', 'gpus', 'gpuNames', 'gpuDriver'] as const)
      expect(environment).not.toHaveProperty(field);
  });

  it('records no GPU name when the server runs on GPUs the runner does not have', () => {
    const environment = environmentOf(parts({ runnerGpus: [L4], serverGpuUuids: ['GPU-elsewhere'] }));
    expect(environment.gpus).toEqual(['GPU-elsewhere']);
    expect(environment).not.toHaveProperty('gpuNames');
  });
});
