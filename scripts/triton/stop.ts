// `npm run triton:stop`: stops the server `triton:start` recorded in .triton/server.json
// (SIGINT, then SIGKILL after 30 s); a no-op with a message when none runs.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { removeShmRegions, stopTritonPid } from './triton-server-support.js';
import { readServerRecord, removeServerRecord, serverRecordFile } from './server-record.js';

async function main(): Promise<void> {
  const record = readServerRecord();
  if (record === undefined) {
    console.log(
      `No Triton started by 'npm run triton:start' is recorded (${serverRecordFile} not found); nothing to stop`,
    );
    return;
  }
  const startedMs = performance.now();
  const outcome = await stopTritonPid(record.pid);
  removeShmRegions(record.shmRegionPrefix);
  removeServerRecord();
  rmSync(path.join(record.runDir, 'tritonserver.pid'), { force: true });
  rmSync(record.repoDir, { recursive: true, force: true });
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
  const what = `Triton pid ${String(record.pid)} on ${record.grpcUrl} (gRPC)`;
  switch (outcome) {
    case 'not-running':
      console.log(`${what} was no longer running; removed ${serverRecordFile}`);
      break;
    case 'stopped':
      console.log(`Stopped ${what}: exited ${seconds} s after SIGINT`);
      break;
    case 'killed':
      console.log(`Killed ${what}: no exit within 30 s of SIGINT, sent SIGKILL`);
      break;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
