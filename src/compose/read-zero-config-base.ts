/**
 * The zero-config base at the composition root (docs/paired.md, "Zero-config base"): which
 * commit to read (`baseline-ref`, else the PR's merge-base: the one the store resolved, else
 * `git merge-base` of the PR's base and head), then the model's files at that commit.
 * Outside a pull request there is no merge-base, so `baseline-ref` is required there.
 */
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { Input } from '../config/inputs.js';
import { errorMessage } from '../error-message.js';
import { readBaseModel, type BaseModelSnapshot, type GitRunner } from '../control/read-base-model.js';
import type { PullRequestInfo } from '../github/run-context.js';
import type { Logger } from '../logger.js';

/** Where the run is and what it already knows about the PR. */
export interface ZeroConfigBaseEnv {
  readonly git: GitRunner;
  readonly cwd: string;
  readonly log: Logger;
  /** The PR of the event, when the run is the Action's on a pull request. */
  readonly pullRequest?: Pick<PullRequestInfo, 'baseSha' | 'headSha'>;
  /** The store's preferred baseline commits, merge-base first (empty when it resolved none). */
  readonly preferredShas: readonly string[];
}

/** The snapshot when `config` has a zero-config base; `undefined` otherwise. */
export async function readZeroConfigBase(
  config: Config,
  env: ZeroConfigBaseEnv,
): Promise<BaseModelSnapshot | undefined> {
  const base = config.paired.base;
  const from = base?.fromRepository;
  if (base === undefined || from === undefined) return undefined;
  const ref = from.ref ?? (await mergeBaseOf(env));
  const snapshot = await readBaseModel({
    git: env.git,
    cwd: env.cwd,
    repository: from.path,
    model: config.matrix.model,
    ref,
    name: base.model,
  });
  const bytes = snapshot.files.reduce((sum, file) => sum + file.bytes.byteLength, 0);
  env.log.info(
    `base side: ${snapshot.source}, ${snapshot.files.length} file(s), ${bytes} bytes, loaded as '${snapshot.name}'`,
  );
  return snapshot;
}

async function mergeBaseOf(env: ZeroConfigBaseEnv): Promise<string> {
  const pr = env.pullRequest;
  if (pr === undefined) {
    const hint =
      'outside a pull request there is no merge-base: name the commit (HEAD for uncommitted changes, HEAD~1, or ${{ github.event.before }} on push)';
    throw new ConfigError([
      {
        input: Input.baselineRef,
        value: '',
        expected: 'a git commit-ish (required with model-repository outside a pull request)',
        hint,
      },
    ]);
  }
  const resolved = env.preferredShas[0];
  if (resolved !== undefined) return resolved;
  try {
    return (await env.git.run(['merge-base', pr.baseSha, pr.headSha])).toString('utf8').trim();
  } catch (err: unknown) {
    const hint = `git merge-base ${pr.baseSha.slice(0, 7)} ${pr.headSha.slice(0, 7)} failed (${errorMessage(err)}); actions/checkout fetches one commit by default: set fetch-depth: 0, or set baseline-ref`;
    throw new ConfigError(
      [
        {
          input: Input.baselineRef,
          value: '',
          expected: "a commit-ish, or a checkout holding the PR's merge-base",
          hint,
        },
      ],
      { cause: err },
    );
  }
}
