/** Pairing keys: "r<round>:m<match>", both 1-based. Stable, readable in logs, easy to store. */
export function pairingKey(round: number, match: number): string {
  return `r${round}:m${match}`;
}

/** The round and match of a key made by pairingKey, or null for anything else. */
export function parsePairingKey(key: string): { round: number; match: number } | null {
  const m = /^r([1-9]\d*):m([1-9]\d*)$/.exec(key);
  if (!m) return null;
  return { round: Number(m[1]), match: Number(m[2]) };
}
