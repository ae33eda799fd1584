/**
 * Validates what a fake GitHub server sends and receives against GitHub's published OpenAPI
 * description (`@octokit/openapi`, generated/api.github.com.deref.json), so a fake cannot
 * drift from the real API unnoticed (docs/architecture.md#measuring-the-tool-itself, "Test doubles must stay honest").
 *
 * The description is 70 MB and takes seconds to parse, so the schemas of each operation used
 * are extracted once and cached per package version under the OS temp directory; later test
 * runs read a few kilobytes. OpenAPI 3.0 `nullable` is rewritten to JSON Schema for ajv.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** An operation, as the description names it. */
export interface OperationRef {
  /** Lower-case HTTP method: `get`, `post`, `patch`, ... */
  readonly method: string;
  /** Path template exactly as in the description: `/repos/{owner}/{repo}/git/refs/{ref}`. */
  readonly path: string;
}

/** What the description says about one operation. */
export interface OperationSchemas {
  readonly operationId: string;
  /** `externalDocs.url`: GitHub puts it in every error body as `documentation_url`. */
  readonly documentationUrl: string | undefined;
  /** JSON schema of the request body, when the operation takes one. */
  readonly requestBody: object | undefined;
  /** JSON schema per documented status code; `null` when that status has no JSON body. */
  readonly responses: Readonly<Record<string, object | null>>;
}

const require = createRequire(import.meta.url);
const PACKAGE_DIR = dirname(require.resolve('@octokit/openapi/package.json'));
const SPEC_FILE = join(PACKAGE_DIR, 'generated', 'api.github.com.deref.json');
const VERSION = (JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
// Bump when the extraction or the conversion below changes, so no stale cache is read.
const CACHE_FORMAT = 1;
const CACHE_DIR = join(tmpdir(), 'triton-throughput-gate-openapi', `${VERSION}-${CACHE_FORMAT}`);

/**
 * GitHub answers any endpoint with these when rate-limited, unauthenticated or in trouble,
 * whether or not the operation documents them; their body is then a "Basic Error".
 */
export const GENERIC_ERROR_STATUSES: readonly number[] = [401, 403, 429, 500, 502, 503, 504];
const BASIC_ERROR_SOURCE: OperationRef = { method: 'get', path: '/repos/{owner}/{repo}/git/ref/{ref}' };

let spec: { paths: Record<string, Record<string, unknown>> } | undefined;

/** The schemas of `operation`, from the cache or (once per version) from the description. */
export function operationSchemas(operation: OperationRef): OperationSchemas {
  const file = join(CACHE_DIR, `${operation.method}-${createHash('sha1').update(operation.path).digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OperationSchemas;
  } catch {
    // Not cached yet (or a torn write from a crashed run): extract it from the description.
  }
  const extracted = extractOperation(operation);
  mkdirSync(CACHE_DIR, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(extracted));
  renameSync(temp, file);
  return extracted;
}

function extractOperation(operation: OperationRef): OperationSchemas {
  spec ??= JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const op = spec.paths[operation.path]?.[operation.method] as RawOperation | undefined;
  if (op === undefined) {
    throw new Error(
      `${operation.method.toUpperCase()} ${operation.path} is not in GitHub's OpenAPI description (@octokit/openapi ${VERSION})`,
    );
  }
  const responses: Record<string, object | null> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    const schema = response.content?.['application/json']?.schema;
    responses[status] = schema === undefined ? null : jsonSchemaOf(schema);
  }
  const body = op.requestBody?.content?.['application/json']?.schema;
  return {
    operationId: op.operationId,
    documentationUrl: op.externalDocs?.url,
    requestBody: body === undefined ? undefined : jsonSchemaOf(body),
    responses,
  };
}

interface RawOperation {
  readonly operationId: string;
  readonly externalDocs?: { readonly url?: string };
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: object }> };
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema?: object }> }>;
}

/** OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a `null` type (or an `anyOf`). */
export function jsonSchemaOf(node: unknown): object {
  return convert(node) as object;
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = convert(value);
  if (out['nullable'] !== true) return out;
  delete out['nullable'];
  if (typeof out['type'] === 'string') {
    out['type'] = [out['type'], 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
addFormats.default(ajv);
const compiled = new Map<object, ValidateFunction>();

/** Problems of `value` against `schema` (empty when valid), as `path: message` lines. */
export function schemaProblems(schema: object, value: unknown): string[] {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .slice(0, 8)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}

/**
 * Problems of a response: its body against the schema of its status. A status the operation
 * does not document is drift, except the generic ones every endpoint may answer.
 */
export function responseProblems(operation: OperationRef, status: number, body: unknown): string[] {
  const schemas = operationSchemas(operation);
  const schema = schemas.responses[String(status)];
  if (schema === undefined) {
    if (!GENERIC_ERROR_STATUSES.includes(status)) {
      return [
        `status ${status} is not documented for ${schemas.operationId} (documented: ${Object.keys(schemas.responses).join(', ')})`,
      ];
    }
    return schemaProblems(basicErrorSchema(), body);
  }
  if (schema === null)
    return body === undefined ? [] : [`status ${status} of ${schemas.operationId} has no body, but one was sent`];
  return schemaProblems(schema, body);
}

/** Problems of a request body against the operation's `requestBody` schema. */
export function requestProblems(operation: OperationRef, body: unknown): string[] {
  const schema = operationSchemas(operation).requestBody;
  if (schema === undefined) return body === undefined ? [] : ['the operation takes no request body, but one was sent'];
  return schemaProblems(schema, body);
}

function basicErrorSchema(): object {
  const schema = operationSchemas(BASIC_ERROR_SOURCE).responses['404'];
  if (schema === undefined || schema === null) throw new Error('no Basic Error schema in the OpenAPI description');
  return schema;
}
