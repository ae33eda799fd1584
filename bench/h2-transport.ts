/**
 * Client CPU per request of our HTTP/2 transport vs @grpc/grpc-js against a running Triton:
 *
 *   npx tsx bench/h2-transport.ts --address 127.0.0.1:8001 [--requests 20000] [--connections 1]
 *                                 [--users 1,4,16,64] [--model identity] [--rounds 3]
 *
 * Closed loop (runClosedLoop) over model `identity` (INPUT0 FP32 [1,16]); for each users value
 * and round, both transports run one after the other in alternating order. CPU is
 * `process.cpuUsage()` (user + system) of this process, divided by requests sent.
 */
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { create, toBinary } from '@bufbuild/protobuf';
import { ModelInferRequestSchema } from '../src/gen/grpc_service_pb.js';
import { runClosedLoop } from '../src/load/closed-loop.js';
import type { InferTransport } from '../src/load/infer-transport.js';
import { createGrpcInferTransport } from '../src/triton/grpc-infer-transport.js';
import { createH2InferTransport } from '../src/triton/h2/h2-infer-transport.js';

interface Sample {
  readonly reqPerS: number;
  readonly cpuUsPerReq: number;
  readonly failed: number;
}

const { values } = parseArgs({
  options: {
    address: { type: 'string', default: '127.0.0.1:8001' },
    requests: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '1' },
    users: { type: 'string', default: '1,4,16,64' },
    model: { type: 'string', default: 'identity' },
    rounds: { type: 'string', default: '3' },
  },
});
const requests = Number(values.requests);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const usersList = values.users.split(',').map(Number);
const TIMEOUT_MS = 10_000;

const request = toBinary(
  ModelInferRequestSchema,
  create(ModelInferRequestSchema, {
    modelName: values.model,
    inputs: [{ name: 'INPUT0', datatype: 'FP32', shape: [1n, 16n] }],
    rawInputContents: [new Uint8Array(64)],
  }),
);

async function measure(transport: InferTransport, users: number): Promise<Sample> {
  await runClosedLoop(transport, { users, requests: Math.min(2_000, requests), request, timeoutMs: TIMEOUT_MS });
  const cpuBefore = process.cpuUsage();
  const result = await runClosedLoop(transport, { users, requests, request, timeoutMs: TIMEOUT_MS });
  const cpu = process.cpuUsage(cpuBefore);
  if (result.firstError !== undefined) console.error(`  first error: ${result.firstError}`);
  return {
    reqPerS: (result.ok / result.durationMs) * 1000,
    cpuUsPerReq: (cpu.user + cpu.system) / result.sent,
    failed: result.failed,
  };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const h2 = createH2InferTransport({ address: values.address, isTls: false, headers: {}, connections });
const grpcJs = createGrpcInferTransport({
  address: values.address,
  isTls: false,
  metadata: new grpc.Metadata(),
  channels: connections,
});
try {
  await h2.ready();
  console.log(
    `${values.address} model=${values.model} requests=${requests} connections=${connections} rounds=${rounds} (medians)`,
  );
  console.log('users | h2 req/s | h2 CPU µs/req | grpc-js req/s | grpc-js CPU µs/req | CPU ratio h2/grpc-js');
  for (const users of usersList) {
    const ours: Sample[] = [];
    const theirs: Sample[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate the order so warm-up and server drift do not favour one transport.
      if (round % 2 === 0) {
        ours.push(await measure(h2, users));
        theirs.push(await measure(grpcJs, users));
      } else {
        theirs.push(await measure(grpcJs, users));
        ours.push(await measure(h2, users));
      }
    }
    const h2Cpu = median(ours.map((s) => s.cpuUsPerReq));
    const grpcCpu = median(theirs.map((s) => s.cpuUsPerReq));
    const failed = [...ours, ...theirs].reduce((sum, s) => sum + s.failed, 0);
    console.log(
      `${String(users).padStart(5)} | ${median(ours.map((s) => s.reqPerS))
        .toFixed(0)
        .padStart(8)} | ` +
        `${h2Cpu.toFixed(1).padStart(13)} | ${median(theirs.map((s) => s.reqPerS))
          .toFixed(0)
          .padStart(13)} | ` +
        `${grpcCpu.toFixed(1).padStart(18)} | ${(h2Cpu / grpcCpu).toFixed(2)}${failed > 0 ? `  (${failed} failed)` : ''}`,
    );
  }
} finally {
  h2.close();
  grpcJs.close();
}
