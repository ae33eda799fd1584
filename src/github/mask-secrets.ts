/**
 * Keeps secrets out of the log (issue 5: "the token never appears in logs"): every secret is
 * registered with the runner (`::add-mask::`, which the runner consumes and replaces by `***`
 * in everything printed afterwards), and the secret inputs are removed from the environment
 * once read, so a `batch-command` child process does not inherit them.
 */
import type { RawInputs } from '../config/inputs.js';
import { userinfoSecretsOf } from '../redact-secrets.js';

/** Inputs that hold a URL whose userinfo (refused, but echoed before the refusal) is masked. */
const URL_INPUTS = ['server-url', 'baseline-server-url', 'metrics-url'] as const;

/**
 * Masked values shorter than this are skipped: the runner would replace every occurrence of,
 * say, `1` in the log. Such a value is no secret worth the name (header values like a version).
 */
export const MIN_MASKED_CHARS = 4;

/** Environment variables holding secret inputs (`INPUT_<NAME>`, as the runner sets them). */
export const SECRET_INPUT_ENV: readonly string[] = ['INPUT_GITHUB-TOKEN', 'INPUT_SERVER-HEADERS'];

/**
 * Every value to mask from the raw inputs: the token, the whole `server-headers` input, each of
 * its lines and each header value (`name: value` per line or comma-separated), and the userinfo
 * of a URL input (`grpc://user:SECRET@host`). Masking the raw
 * text before `parseConfig` covers messages about a malformed header too.
 */
export function secretValuesOf(raw: RawInputs, token: string | undefined): string[] {
  const values: string[] = token === undefined ? [] : [token];
  const headers = raw['server-headers'];
  if (headers !== undefined) {
    values.push(headers);
    for (const line of headers.split(/\r?\n|,/)) {
      values.push(line.trim());
      const colon = line.indexOf(':');
      if (colon >= 0) values.push(line.slice(colon + 1).trim());
    }
  }
  for (const input of URL_INPUTS) values.push(...userinfoSecretsOf(raw[input] ?? ''));
  return uniqueMaskable(values);
}

/** Values of parsed header maps (`Config.server.headers`, also from a config file). */
export function headerSecretValues(headers: Readonly<Record<string, string>>): string[] {
  return uniqueMaskable(Object.values(headers));
}

/** Registers each value with `setSecret` (`core.setSecret`). */
export function maskSecrets(values: readonly string[], setSecret: (value: string) => void): void {
  for (const value of values) setSecret(value);
}

/** Deletes the secret inputs from `env` (process.env) after they were read. */
export function scrubSecretInputs(env: Record<string, string | undefined>): void {
  for (const name of SECRET_INPUT_ENV) Reflect.deleteProperty(env, name);
}

function uniqueMaskable(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value.length >= MIN_MASKED_CHARS))];
}
