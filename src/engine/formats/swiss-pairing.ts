import blossom from 'edmonds-blossom-fixed';

/**
 * Pairs one Swiss round as a maximum-weight perfect matching (Edmonds' blossom algorithm, from
 * a library), because the rules below are priorities over the whole round, which greedy pairing
 * with backtracking can only approximate or pay for exponentially:
 * 1. no rematch unless no pairing of the round avoids one (then as few as possible);
 * 2. pair within score groups; when a group cannot pair off, float as little as possible
 *    (squared score gaps, so two one-group floats beat one two-group float);
 * 3. keep seats balanced: avoid pairing two entrants who both had seat 0 more often, or both
 *    seat 1 (one of them would drift further; otherwise seating can even them out), the more
 *    so the further both lean (squared);
 * 4. inside a score group, top half against bottom half (1 v 3 and 2 v 4 in a group of four),
 *    as the Dutch system does, so the strongest do not meet first; a floater meets the top of
 *    the group below; the bye goes to the lowest-ranked entrant who has not had one.
 * Each rule is a cost term scaled so that it outweighs every later term summed over the round.
 * Everything is integers, well inside 2^53, so the matching is exact and deterministic.
 */

export interface SwissPlayer {
  /** Points before this round, in whole halves are fine. */
  points: number;
  /** Indices of entrants already played. */
  opponents: ReadonlySet<number>;
  hadBye: boolean;
  /** Seat-0 games minus seat-1 games so far. */
  seatBalance: number;
}

export interface RoundPairing {
  /** Pairs of entrant indices, strongest board first, seats not yet assigned. */
  boards: [number, number][];
  bye: number | null;
}

/**
 * `players[i]` is entrant i, entrants being in seed order (0 strongest). Returns the boards of
 * the round, each as [higher-ranked, lower-ranked].
 */
export function pairSwissRound(players: readonly SwissPlayer[]): RoundPairing {
  const n = players.length;
  if (n < 2) return { boards: [], bye: n === 1 ? 0 : null };
  // Rank for this round: points, then seed.
  const order = players.map((_, i) => i).sort((a, b) => players[b]!.points - players[a]!.points || a - b);
  const pos = new Array<number>(n);
  const local = new Array<number>(n);
  const groupSize = new Array<number>(n);
  order.forEach((e, p) => {
    pos[e] = p;
  });
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && players[order[end]!]!.points === players[order[start]!]!.points) end++;
    for (let p = start; p < end; p++) {
      local[order[p]!] = p - start;
      groupSize[order[p]!] = end - start;
    }
    start = end;
  }
  const halves = (i: number) => Math.round(players[i]!.points * 2);
  const byeVertex = n % 2 === 1 ? n : -1;

  // Cost terms per edge, before scaling.
  type Edge = { i: number; j: number; rematch: boolean; gap: number; clash: number; small: number };
  const clash = (i: number, j: number): number => {
    const [a, b] = [players[i]!.seatBalance, players[j]!.seatBalance];
    return Math.sign(a) * Math.sign(b) > 0 ? Math.min(Math.abs(a), Math.abs(b)) ** 2 : 0;
  };
  const edges: Edge[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const [hi, lo] = pos[i]! < pos[j]! ? [i, j] : [j, i];
      const gap = halves(hi) - halves(lo);
      const small =
        gap === 0 ? Math.abs(local[lo]! - local[hi]! - Math.floor(groupSize[hi]! / 2)) : local[lo]!;
      edges.push({ i, j, rematch: players[i]!.opponents.has(j), gap, clash: clash(i, j), small });
    }
    // The bye is a virtual opponent on 0 points, so it sinks to the bottom score group.
    if (byeVertex >= 0 && !players[i]!.hadBye) {
      edges.push({ i, j: byeVertex, rematch: false, gap: halves(i), clash: 0, small: n - 1 - pos[i]! });
    }
  }
  // Scale so each term outweighs the sum of all later ones over a round's ceil(n/2) edges.
  const boards = Math.ceil(n / 2);
  const max = (f: (e: Edge) => number) => edges.reduce((m, e) => Math.max(m, f(e)), 0);
  const clashUnit = boards * max((e) => e.small) + 1;
  const scoreUnit = boards * (max((e) => e.clash) * clashUnit + max((e) => e.small)) + 1;
  const plain = (e: Edge) => e.gap * e.gap * scoreUnit + e.clash * clashUnit + e.small;
  const maxPlain = max(plain);
  const rematchUnit = boards * maxPlain + 1;
  const top = rematchUnit + maxPlain + 1;
  // The algorithm's dual variables and slacks stay within a few times the largest weight.
  if (!Number.isSafeInteger(top * 8)) throw new RangeError(`Swiss pairing: field of ${n} is too large`);
  // The library maximises weight, so weight = a constant minus the cost (always positive).
  const weighted = edges.map((e) => [e.i, e.j, top - (e.rematch ? rematchUnit : 0) - plain(e)] as const);

  const mate = blossom(weighted, true);
  const vertices = byeVertex >= 0 ? n + 1 : n;
  let bye: number | null = null;
  const out: [number, number][] = [];
  for (let v = 0; v < n; v++) {
    const m = mate[v] ?? -1;
    if (m < 0 || m >= vertices || mate[m] !== v) throw new Error('Swiss pairing: no complete pairing found');
    if (m === byeVertex) bye = v;
    else if (v < m) out.push(pos[v]! < pos[m]! ? [v, m] : [m, v]);
  }
  if (byeVertex >= 0 && bye === null) throw new Error('Swiss pairing: no bye assigned');
  out.sort((a, b) => pos[a[0]]! - pos[b[0]]!);
  return { boards: out, bye };
}
