/**
 * The YAML config file (`config-file`, docs/architecture.md#config): keys are input names, values become the same
 * raw strings an action input or CLI flag would carry, so `parseConfig` judges all three alike.
 * `parseConfigFile` and `mergeRawInputs` are pure; `readConfigFile` is the I/O edge.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { LineCounter, type Node, Scalar, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { errorMessage } from '../error-message.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { ActionInput, INPUT_NAMES, INPUT_SPECS, Input, type RawInputs, isAllowedFrom, isInputName } from './inputs.js';
import { didYouMean } from './suggest.js';
import { MAX_ALIAS_COUNT } from './values.js';

/**
 * Converts config-file text to raw inputs. Plain scalars keep their source text (`0x20` stays
 * `0x20`, not 32) so the strict parsing of docs/architecture.md#config also applies to files; `null`/empty values
 * are `''` (not given); lists of scalars are joined by the input's separator; `inputs` as YAML becomes JSON text.
 *
 * @param sourceName the file's path, for messages.
 * @throws ConfigError on YAML syntax errors (with line), unknown keys (with "did you mean"),
 *   and values of the wrong shape.
 */
export function parseConfigFile(text: string, sourceName: string): RawInputs {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const issues: ConfigIssue[] = [];
  const fileIssue = (expected: string, hint: string): ConfigIssue => ({
    input: Input.configFile,
    value: sourceName,
    expected,
    hint,
  });
  const lineOf = (node: unknown): string => {
    const offset = (node as Node | null)?.range?.[0];
    return offset === undefined ? '' : `line ${lines.linePos(offset).line}`;
  };
  const resolved = (node: unknown): unknown => (isAlias(node) ? (node.resolve(document) ?? null) : node);
  for (const error of document.errors) issues.push(fileIssue('valid YAML', firstLine(error.message)));
  if (issues.length > 0) throw new ConfigError(issues);
  try {
    // Resolved once with a bound, so an alias bomb is refused here and every later `toJSON` is bounded.
    document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error: unknown) {
    const why = errorMessage(error);
    // The library throws a ReferenceError both for an alias without its anchor and for the
    // expansion limit; only its message tells them apart.
    const expected = why.startsWith('Unresolved alias')
      ? 'valid YAML'
      : `YAML whose aliases expand to at most ${MAX_ALIAS_COUNT} nodes`;
    throw new ConfigError([fileIssue(expected, why)]);
  }
  const root = document.contents;
  if (root !== null && !isMap(root)) {
    throw new ConfigError([fileIssue('a YAML mapping of input names to values', 'the file is not a mapping')]);
  }
  const raw: RawInputs = {};
  for (const { key, value } of root?.items ?? []) {
    const name = isScalar(key) ? String(key.value) : JSON.stringify(key);
    if (!isInputName(name) || name === Input.configFile) {
      const why =
        name === Input.configFile
          ? 'a config file cannot name another config file'
          : name === ActionInput.githubToken
            ? 'github-token is an action input only; keep tokens out of files'
            : `unknown key '${name}'${suffix(didYouMean(name, INPUT_NAMES))}`;
      issues.push(fileIssue('input names as keys', `${lineOf(key)}: ${why}`));
      continue;
    }
    const node = resolved(value) ?? null;
    const separator = INPUT_SPECS[name].listSeparator;
    const items = isSeq(node) ? node.items.map(resolved) : [];
    const texts = items.map((item) => (isScalar(item) && item.value !== null ? scalarText(item) : undefined));
    if (node === null || isScalar(node)) raw[name] = scalarText(node);
    else if (name === Input.inputs && isSeq(node)) raw[name] = JSON.stringify(node.toJSON());
    else if (separator !== undefined && texts.length > 0 && texts.every((item) => item !== undefined)) {
      raw[name] = texts.join(separator);
    } else {
      const shown = JSON.stringify((node as { toJSON?: () => unknown }).toJSON?.() ?? null);
      const where = `in ${sourceName} ${lineOf((isSeq(node) ? node.items[0] : undefined) ?? node)}`;
      const expected =
        name === Input.inputs
          ? 'a list of {name, datatype?, shape?, data?} or JSON text'
          : separator === undefined
            ? 'a single value'
            : isSeq(node)
              ? 'a list of single values'
              : 'a single value or a list of values';
      const hint = isSeq(node) && items.length === 0 && separator !== undefined ? `the list is empty; ${where}` : where;
      issues.push({ input: name, value: shown, expected, hint });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return raw;
}

function suffix(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : `, ${suggestion}`;
}

/** The yaml library's first message line, without the `:` that introduced its code excerpt. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/:$/, '');
}

/** Plain scalars as written; quoted and block scalars as their string; null as not given. */
function scalarText(node: Scalar | null): string {
  if (node === null || node.value === null) return '';
  if (node.type === Scalar.PLAIN && node.source !== undefined) return node.source;
  const { value } = node;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Raw inputs of a file merged under explicit ones (action inputs or CLI flags): an explicit
 * non-empty value wins; empty strings count as not given on both sides.
 */
export function mergeRawInputs(fileRaw: RawInputs, explicitRaw: RawInputs): RawInputs {
  const merged: RawInputs = {};
  for (const name of INPUT_NAMES) {
    const explicit = explicitRaw[name];
    const fromFile = fileRaw[name];
    if (explicit !== undefined && explicit !== '') merged[name] = explicit;
    else if (fromFile !== undefined && fromFile !== '') merged[name] = fromFile;
  }
  return merged;
}

/** A config file holds a few dozen keys; anything near this size is not one. */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
/** Hints for the usual reasons a config file cannot be read, by Node error code. */
const READ_FAILURE_HINTS: Readonly<Record<string, string>> = {
  ENOENT: 'the file does not exist',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
};

/**
 * Reads and converts the config file at `path` (the I/O edge of `parseConfigFile`), refusing
 * the inputs only a workflow may set.
 *
 * @throws ConfigError naming input 'config-file' and the path when the file cannot be read,
 *   and naming `batch-strategy`/`batch-command` when the file sets the command strategy.
 */
export async function readConfigFile(path: string): Promise<RawInputs> {
  const refuse = (hint: string, cause?: unknown): ConfigError =>
    new ConfigError([{ input: Input.configFile, value: path, expected: 'a readable YAML file', hint }], { cause });
  let text: string;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; only a regular file is then read,
    // so neither a FIFO nor a device such as /dev/zero can block or fill memory.
    const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stats = await file.stat();
      if (!stats.isFile())
        throw refuse(stats.isDirectory() ? 'it is a directory' : 'it is not a regular file (a FIFO, device or socket)');
      if (stats.size > MAX_CONFIG_FILE_BYTES) throw refuse(`it is larger than ${MAX_CONFIG_FILE_BYTES / 1024} KiB`);
      text = await file.readFile('utf8');
    } finally {
      await file.close();
    }
  } catch (error: unknown) {
    if (error instanceof ConfigError) throw error;
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
    throw refuse(READ_FAILURE_HINTS[code] ?? `it cannot be read (${code})`, error);
  }
  const raw = parseConfigFile(text, path);
  const issues = workflowOnlyIssues(raw, path);
  if (issues.length > 0) throw new ConfigError(issues);
  return raw;
}

/**
 * A config file is repository content that a pull request can change (SECURITY.md): the inputs
 * declared workflow-only (`batch-command`), and the strategy value that runs a command, are
 * refused from it. The command text is never repeated: it is untrusted and may hold secrets.
 */
function workflowOnlyIssues(fileRaw: RawInputs, path: string): ConfigIssue[] {
  const hint = `${path} is repository content that a pull request can change, and this runs a shell command on the runner; set it in the workflow's with: (or as a CLI flag)`;
  const issues: ConfigIssue[] = [];
  if (fileRaw[Input.batchStrategy] === 'command') {
    const expected = "reload, models or fixed in a config file ('command' only from the workflow or the command line)";
    issues.push({ input: Input.batchStrategy, value: 'command', expected, hint });
  }
  for (const name of INPUT_NAMES) {
    if ((fileRaw[name] ?? '') === '' || isAllowedFrom(name, 'file') || name === Input.configFile) continue;
    issues.push({ input: name, value: `(set in config-file ${path})`, expected: `no ${name} in a config file`, hint });
  }
  return issues;
}

/**
 * `explicitRaw` with the file named by its `config-file` merged under it, or unchanged when
 * no config file is named. The reader every entry point calls before `parseConfig`.
 */
export async function resolveConfigFile(explicitRaw: RawInputs): Promise<RawInputs> {
  const path = explicitRaw[Input.configFile];
  if (path === undefined || path === '') return explicitRaw;
  return mergeRawInputs(await readConfigFile(path), explicitRaw);
}
