/**
 * The one number formatter (docs/architecture.md#comparison-store-and-reports): every figure a
 * report, a verdict reason or a gate message shows goes through `formatNumber`, so digits, signs
 * and grouping agree between tables, sentences and charts, and golden files never depend on the
 * machine's locale (no `toLocaleString`, no `Intl`).
 */

/**
 * What a number is, which decides how it is written:
 * - `dps`: data items per second; 3 significant digits, no decimals from 100 up (`1,111`, `45.7`).
 * - `ms`: latency in milliseconds; 3 significant digits (`0.512`, `5.12`, `51.2`, `512`).
 * - `us`: microseconds; whole numbers (`1,234`).
 * - `count`: whole numbers (`480`).
 * - `batch`: a formed batch size; one decimal (`7.9`).
 * - `percent`: a fraction shown unsigned with one decimal (`0.132` → `13.2%`), for CVs,
 *   thresholds and utilisation.
 * - `level`: a set fraction such as a confidence level or a tolerance, without a trailing `.0`
 *   (`0.9` → `90%`, `0.996` → `99.6%`).
 * - `delta`: a signed relative change (`−0.124` → `−12.4%`, `0.063` → `+6.3%`).
 * - `pvalue`: a p- or q-value; 3 significant digits, at most 3 decimals, `<0.001` below that.
 * - `gib`: a byte count in GiB with two decimals (`1.50`), the unit left to the caller.
 * - `chart`: like `dps` but without grouping and with an ASCII minus, for Mermaid data.
 */
export type NumberKind =
  'dps' | 'ms' | 'us' | 'count' | 'batch' | 'percent' | 'level' | 'delta' | 'pvalue' | 'gib' | 'chart';

/** Shown for a value that is absent or not finite. */
export const NO_VALUE = '—';

/** U+2212: a real minus sign reads better than a hyphen in tables. */
const MINUS = '\u2212';

const BYTES_PER_GIB = 1024 ** 3;

/**
 * Formats `value` as `kind`; `undefined`, `NaN` and infinities become {@link NO_VALUE}.
 * Deterministic: the same number always gives the same text.
 */
export function formatNumber(value: number | undefined, kind: NumberKind): string {
  if (value === undefined || !Number.isFinite(value)) return NO_VALUE;
  switch (kind) {
    case 'dps':
      return signedFixed(value, significantDecimals(value, 3, 2), true);
    case 'ms':
      return signedFixed(value, significantDecimals(value, 3, 3), true);
    case 'us':
    case 'count':
      return signedFixed(value, 0, true);
    case 'batch':
      return signedFixed(value, 1, true);
    case 'percent':
      return `${signedFixed(value * 100, 1, true)}%`;
    case 'level':
      return `${signedFixed(value * 100, 1, true).replace(/\.0$/, '')}%`;
    case 'delta':
      return formatDelta(value);
    case 'pvalue':
      return value < 0.001 ? '<0.001' : signedFixed(value, significantDecimals(value, 3, 3), false);
    case 'gib':
      return signedFixed(value / BYTES_PER_GIB, 2, true);
    case 'chart':
      return signedFixed(value, significantDecimals(value, 3, 2), false).replace(MINUS, '-');
  }
}

/** Decimals that give `digits` significant digits, capped at `maxDecimals`. */
function significantDecimals(value: number, digits: number, maxDecimals: number): number {
  const abs = Math.abs(value);
  if (abs === 0) return 0;
  const integerDigits = Math.floor(Math.log10(abs)) + 1;
  return Math.min(maxDecimals, Math.max(0, digits - integerDigits));
}

function formatDelta(fraction: number): string {
  const text = signedFixed(fraction * 100, 1, true);
  // A change that rounds to zero gets no sign: "+0.0%" would suggest a direction.
  if (/^[0.,]+$/.test(text)) return '0.0%';
  return `${text.startsWith(MINUS) ? '' : '+'}${text}%`;
}

/** `toFixed` with thousands grouping and a real minus; never prints `-0`. */
function signedFixed(value: number, decimals: number, shouldGroup: boolean): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const isZero = Number(fixed) === 0;
  const [integerPart = '0', fractionPart] = fixed.split('.');
  const grouped = shouldGroup ? groupThousands(integerPart) : integerPart;
  const body = fractionPart === undefined ? grouped : `${grouped}.${fractionPart}`;
  return value < 0 && !isZero ? `${MINUS}${body}` : body;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
