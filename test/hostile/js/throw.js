// Throws from play in round 3. componentize-qjs turns an uncaught exception into a panic and a
// wasm trap (after trying to print it to stderr, which traps at once when WASI is stubbed).
export function play(state) {
  if (state.round === 3) throw new Error('this bot fails in round 3');
  return 'rock';
}
