// Always plays rock. `play` receives the round-state record with camelCase keys
// ({ round, totalRounds, myLast, theirLast }) and returns the hand's name.
export function play(_state) {
  return 'rock';
}
