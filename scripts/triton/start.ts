// `npm run triton:start`: installs if needed, starts a detached CPU Triton that outlives npm and
// prints one line. Ports: TRITON_GRPC_PORT / TRITON_HTTP_PORT / TRITON_METRICS_PORT (default
// 8001/8000/8002); models: TRITON_MODELS, comma-separated (default demo_onnx,identity).
import { isTritonPid } from './triton-server-support.js';
import { ensureTritonInstalled, startTriton } from './triton-server.js';
import { readServerRecord, serverRecordFile, writeServerRecord } from './server-record.js';

function modelsFromEnv(): string[] | undefined {
  const raw = process.env.TRITON_MODELS;
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
}

async function main(): Promise<void> {
  const running = readServerRecord();
  if (running !== undefined && isTritonPid(running.pid)) {
    console.log(
      `Triton ${running.version} already running on ${running.grpcUrl} (gRPC), pid ${String(running.pid)}; 'npm run triton:stop' stops it`,
    );
    return;
  }
  await ensureTritonInstalled();
  const triton = await startTriton({ detached: true, models: modelsFromEnv() });
  const models = modelsFromEnv() ?? ['demo_onnx', 'identity'];
  writeServerRecord({
    pid: triton.pid,
    version: triton.version,
    grpcUrl: triton.grpcUrl,
    httpUrl: triton.httpUrl,
    metricsUrl: triton.metricsUrl,
    models,
    runDir: triton.runDir,
    logFile: triton.logFile,
    repoDir: triton.repoDir,
    shmRegionPrefix: triton.shmRegionPrefix,
    startMs: Math.round(triton.startMs),
    readyAt: new Date().toISOString(),
  });
  const http = triton.httpUrl.replace(/^http:\/\//, '');
  console.log(
    `Triton ${triton.version} ready on ${triton.grpcUrl} (gRPC); HTTP ${http}; models ${models.join(', ')}; started in ${(triton.startMs / 1000).toFixed(1)} s`,
  );
  // Goes to stderr so stdout stays one line; tells where to look and how to stop.
  console.error(
    `pid ${String(triton.pid)}, log ${triton.logFile}, record ${serverRecordFile}; stop with 'npm run triton:stop'`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
