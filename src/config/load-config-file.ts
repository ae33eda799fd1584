/**
 * The YAML config file (`config-file`, docs/architecture.md#config): keys are input names, values become the same
 * raw strings an action input or CLI flag would carry, so `parseConfig` judges all three alike.
 * `parseConfigFile` and `mergeRawInputs` are pure; `readConfigFile` is the I/O edge.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import {
  type Document,
  LineCounter,
  type Node,
  Scalar,
  type YAMLSeq,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
} from 'yaml';
import { ConfigError, type ConfigIssue } from './config-error.js';
import {
  ActionInput,
  INPUT_NAMES,
  INPUT_SPECS,
  Input,
  type InputName,
  type RawInputs,
  isAllowedFrom,
  isInputName,
} from './inputs.js';
import { didYouMean } from './suggest.js';
import { MAX_ALIAS_COUNT, type Problem } from './values.js';

/** Context of one file being converted. */
interface FileContext {
  readonly document: Document;
  readonly sourceName: string;
  readonly lines: LineCounter;
  readonly issues: ConfigIssue[];
}

/**
 * Converts config-file text to raw inputs. Plain scalars keep their source text (`0x20` stays
 * `0x20`, not 32) so the strict parsing of docs/architecture.md#config also applies to files; `null`/empty values
 * are `''` (not given); lists of scalars are comma-joined; `inputs` as YAML becomes JSON text.
 *
 * @param sourceName the file's path, for messages.
 * @throws ConfigError on YAML syntax errors (with line), unknown keys (with "did you mean"),
 *   and values of the wrong shape.
 */
export function parseConfigFile(text: string, sourceName: string): RawInputs {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const context: FileContext = { document, sourceName, lines, issues: [] };
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const message = (error.message.split('\n')[0] ?? '').replace(/:$/, '');
      context.issues.push(fileIssue(context, { expected: 'valid YAML', hint: message }));
    }
    throw new ConfigError(context.issues);
  }
  rejectAliasBombs(document, context);
  const root = document.contents;
  if (root !== null && !isMap(root)) {
    const expected = 'a YAML mapping of input names to values';
    throw new ConfigError([fileIssue(context, { expected, hint: 'the file is not a mapping' })]);
  }
  const raw: RawInputs = {};
  for (const pair of root?.items ?? []) {
    const name = readKey(pair.key, context);
    if (name === undefined) continue;
    const value = readValue(name, resolved(pair.value, context) ?? null, context);
    if (value !== undefined) raw[name] = value;
  }
  if (context.issues.length > 0) throw new ConfigError(context.issues);
  return raw;
}

/**
 * Resolves the whole document once through the YAML library with `maxAliasCount`, so an alias
 * bomb is refused here, naming the file, and every later `toJSON` of a node is bounded.
 */
function rejectAliasBombs(document: Document, context: FileContext): void {
  try {
    document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error: unknown) {
    const why = error instanceof Error ? error.message : String(error);
    // The library throws a ReferenceError both for an alias without its anchor and for the
    // expansion limit; only its message tells them apart.
    const expected = why.startsWith('Unresolved alias')
      ? 'valid YAML'
      : `YAML whose aliases expand to at most ${MAX_ALIAS_COUNT} nodes`;
    throw new ConfigError([fileIssue(context, { expected, hint: why })]);
  }
}

/** The node an alias points at (`*x` → the `&x` node); other nodes as they are. */
function resolved(node: unknown, context: FileContext): unknown {
  return isAlias(node) ? (node.resolve(context.document) ?? null) : node;
}

/** An issue with the file itself (syntax, keys): input 'config-file', value its path. */
function fileIssue(context: FileContext, { expected, hint }: Problem): ConfigIssue {
  return hint === undefined
    ? { input: Input.configFile, value: context.sourceName, expected }
    : { input: Input.configFile, value: context.sourceName, expected, hint };
}

function lineOf(node: unknown, context: FileContext): string {
  const offset = (node as Node | null)?.range?.[0];
  return offset === undefined ? '' : `line ${context.lines.linePos(offset).line}`;
}

/** The input a key names, or `undefined` after recording why it names none. */
function readKey(key: unknown, context: FileContext): InputName | undefined {
  const name = isScalar(key) ? String(key.value) : JSON.stringify(key);
  if (isInputName(name) && name !== Input.configFile) return name;
  const why =
    name === Input.configFile
      ? 'a config file cannot name another config file'
      : name === ActionInput.githubToken
        ? 'github-token is an action input only; keep tokens out of files'
        : `unknown key '${name}'${suffix(didYouMean(name, INPUT_NAMES))}`;
  const hint = `${lineOf(key, context)}: ${why}`;
  context.issues.push(fileIssue(context, { expected: 'input names as keys', hint }));
  return undefined;
}

/** The raw string of `name`'s value node, or `undefined` after recording why there is none. */
function readValue(name: InputName, node: unknown, context: FileContext): string | undefined {
  if (node === null || isScalar(node)) return scalarText(node);
  if (name === Input.inputs && isSeq(node)) return JSON.stringify(node.toJSON());
  const separator = INPUT_SPECS[name].listSeparator;
  if (separator !== undefined && isSeq(node)) return listText(name, node, separator, context);
  const expected =
    name === Input.inputs
      ? 'a list of {name, datatype?, shape?, data?} or JSON text'
      : separator === undefined
        ? 'a single value'
        : 'a single value or a list of values';
  const hint = `in ${context.sourceName} ${lineOf(node, context)}`;
  context.issues.push({ input: name, value: shownValue(node), expected, hint });
  return undefined;
}

/** A list input's items joined, or `undefined` after recording why they cannot be. */
function listText(name: InputName, list: YAMLSeq, separator: string, context: FileContext): string | undefined {
  const texts = list.items.map((raw) => {
    const item = resolved(raw, context);
    return isScalar(item) && item.value !== null ? scalarText(item) : undefined;
  });
  if (texts.length > 0 && texts.every((item): item is string => item !== undefined)) {
    return texts.join(separator);
  }
  const where = `in ${context.sourceName} ${lineOf(list.items[0] ?? list, context)}`;
  const hint = texts.length === 0 ? `the list is empty; ${where}` : where;
  context.issues.push({ input: name, value: shownValue(list), expected: 'a list of single values', hint });
  return undefined;
}

/** A node of the wrong shape as one line of JSON, for the issue's value. */
function shownValue(node: unknown): string {
  return JSON.stringify((node as { toJSON?: () => unknown }).toJSON?.() ?? null);
}

function suffix(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : `, ${suggestion}`;
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

/** Hints for the usual reasons a config file cannot be read, by Node error code. */
/** A config file holds a few dozen keys; anything near this size is not one. */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

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
