// Exact point arithmetic: points are held as integer hundredths so 0.25 + 0.25 never drifts.

/** A number of points in hundredths of a point (0.25 points = 25). */
export type Hundredths = number;

const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Reads a decimal number of points with at most two decimals ("0.25", "1", 0.05).
 * Returns null when the value is negative, not a number or has more than two decimals.
 */
export function parsePoints(value: number | string): Hundredths | null {
  // A number prints as the rubric wrote it (0.1 → "0.1"); exponent forms (1e-7) do not match.
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  const hundredths = whole * 100 + fraction;
  return Number.isSafeInteger(hundredths) ? hundredths : null;
}

export function addPoints(...values: Hundredths[]): Hundredths {
  return values.reduce((sum, value) => sum + value, 0);
}

/** The share `fraction` (0..1) of `points`, rounded down to the hundredth: never awards more than earned. */
export function sharePoints(points: Hundredths, fraction: number): Hundredths {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction must be within 0..1, got ${fraction}`);
  // The epsilon absorbs float noise such as 0.1 * 3 = 0.30000000000000004 before flooring.
  return Math.floor(points * fraction + 1e-9);
}

/**
 * Hundredths as a number of points with at most two decimals (25 → 0.25): the number the
 * decimal text reads as, since division and reading a decimal both give the double nearest to
 * the exact quotient; `+ 0` makes -0 plain 0, as the text "0" reads.
 */
export function toPoints(hundredths: Hundredths): number {
  return hundredths / 100 + 0;
}

/** Hundredths as text without trailing zeros: 25 → "0.25", 100 → "1", 150 → "1.5". */
export function formatPoints(hundredths: Hundredths): string {
  const sign = hundredths < 0 ? '-' : '';
  const magnitude = Math.abs(hundredths);
  const whole = Math.floor(magnitude / 100);
  const fraction = String(magnitude % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}
