/**
 * Types for edmonds-blossom-fixed (a JS port of Joris van Rantwijk's maximum weighted matching,
 * which ships none). Vertices are 0..n-1 (n is one more than the largest index in `edges`).
 */
declare module 'edmonds-blossom-fixed' {
  /**
   * A matching of maximum total weight; with `maxCardinality`, of maximum weight among those
   * with the most edges. Returns mate[v]: the vertex matched to v, or -1.
   */
  function blossom(edges: readonly (readonly [number, number, number])[], maxCardinality?: boolean): number[];
  export = blossom;
}
