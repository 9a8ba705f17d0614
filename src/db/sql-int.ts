/**
 * PostgreSQL's `integer` (int4) range. Ids and counts are int4 columns; a number outside the
 * range in a query is an error from the server ("out of range for type integer"), not "no such
 * row". Repositories that look rows up by a user-supplied number check it first.
 */
export const INT4_MAX = 2_147_483_647;
export const INT4_MIN = -2_147_483_648;

export function isInt4(n: number): boolean {
  return Number.isInteger(n) && n >= INT4_MIN && n <= INT4_MAX;
}
