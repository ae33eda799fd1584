/**
 * Ending the process when something outside our code would keep it alive (docs/reliability.md,
 * "Signals"). Everywhere else the exit code is `process.exitCode` and the process ends when its
 * work is done; these are the two exceptions, each bounded and announced:
 * - after the run has ended, grpc-js may keep a connection attempt to a server that stopped
 *   answering open: its connector closes a session still in the HTTP/2 handshake gracefully
 *   (`session.close()`), which never completes against a stalled peer (SIGSTOP), so the socket
 *   holds the event loop for as long as the peer stays stalled;
 * - the deadline after a signal (control/interrupt.ts) or an unhandled error has passed.
 */

import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** How long a finished run may linger before it is ended. */
export const LINGER_MS = 5000;

/**
 * Call once the run has ended and printed everything, with the calling module's
 * `import.meta.url`: when that module is the process's entry and the process is still alive
 * `lingerMs` later, it says why and ends with `process.exitCode`. A module evaluated inside
 * another program (the test harness runs the Action's entry in its own process) leaves its host
 * alone. The timer is unref'd, so a process with nothing left to do ends at once, as usual.
 */
export function endIfLingering(
  moduleUrl: string,
  lingerMs: number = LINGER_MS,
  write: (text: string) => void = writeStderr,
): void {
  if (!isProcessEntry(moduleUrl)) return;
  setTimeout(() => {
    write(
      `warning: the run has ended, but a connection to a server that stopped answering kept the process alive ${Math.round(lingerMs / 1000)} s longer; exiting\n`,
    );
    // eslint-disable-next-line no-restricted-syntax -- the one bounded exception, see the file comment
    process.exit();
  }, lingerMs).unref();
}

/** Ends the process now with `code` (after a deadline or an unhandled error; output is written synchronously to pipes and files). */
export function endNow(code: number): never {
  // eslint-disable-next-line no-restricted-syntax -- past a deadline: see the file comment
  process.exit(code);
}

/**
 * Whether the module at `moduleUrl` is the process's entry (`node <file>`): only an entry may end
 * its process; a module evaluated inside another program (the test harness runs the Action's
 * entry in its own process) leaves that to its host.
 */
export function isProcessEntry(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === moduleUrl;
  } catch {
    return false;
  }
}

function writeStderr(text: string): void {
  process.stderr.write(text);
}
