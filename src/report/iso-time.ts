/**
 * Hours between two ISO 8601 UTC timestamps, by arithmetic on the text: report code stays off
 * the `Date` object so it cannot depend on the machine's clock or time zone.
 */

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/;

/** `later − earlier` in hours, or undefined when either is not `YYYY-MM-DDTHH:MM:SS[.fff]Z`. */
export function hoursBetween(earlier: string, later: string): number | undefined {
  const a = hoursSinceEpoch(earlier);
  const b = hoursSinceEpoch(later);
  return a === undefined || b === undefined ? undefined : b - a;
}

function hoursSinceEpoch(text: string): number | undefined {
  const match = ISO_UTC.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return daysFromCivil(year, month, day) * 24 + hour + minute / 60 + second / 3600;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
