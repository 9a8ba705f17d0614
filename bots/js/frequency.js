// Plays what beats the opponent's most frequent hand so far (ties go to rock, then paper).
// The instance lives for the whole match, so the counts simply stay in module state.
const counts = { rock: 0, paper: 0, scissors: 0 };
const BEATS = { rock: 'paper', paper: 'scissors', scissors: 'rock' };

export function play(state) {
  if (state.theirLast) counts[state.theirLast] += 1;
  let top = 'rock';
  if (counts.paper > counts[top]) top = 'paper';
  if (counts.scissors > counts[top]) top = 'scissors';
  return BEATS[top];
}
