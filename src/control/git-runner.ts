/**
 * How the zero-config base runs git (docs/paired.md, "Zero-config base"): one method, so tests
 * can run it on a scratch repository; run-git.ts is the real one.
 */

/** Runs git in the checkout; resolves with stdout, rejects with git's message. */
export interface GitRunner {
  /** `input`, when given, is git's stdin (`git lfs smudge` reads the pointer there). */
  run(args: readonly string[], input?: Uint8Array): Promise<Buffer>;
}
