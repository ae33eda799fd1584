/**
 * The HPACK static table (RFC 7541 Appendix A): index 1..61, as parallel name/value arrays
 * where element 0 is unused so that `STATIC_NAMES[index]` reads like the RFC.
 */

/** Number of static entries; dynamic indices start at `STATIC_TABLE_LENGTH + 1` (§2.3.3). */
export const STATIC_TABLE_LENGTH = 61;

const ENTRIES: readonly (readonly [string, string])[] = [
  ['', ''],
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];

/** Static names by index (1..61; index 0 is an unused empty string). */
export const STATIC_NAMES: readonly string[] = ENTRIES.map((e) => e[0]);
/** Static values by index (1..61; index 0 is an unused empty string). */
export const STATIC_VALUES: readonly string[] = ENTRIES.map((e) => e[1]);

/** Index of the first static entry named `name`, or 0 if none (for name-indexed literals). */
export function staticNameIndex(name: string): number {
  const index = STATIC_NAMES.indexOf(name, 1);
  return index < 0 ? 0 : index;
}
