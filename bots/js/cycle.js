// Plays rock, paper, scissors, rock, ... by round number (rounds count from 1).
const HANDS = ['rock', 'paper', 'scissors'];

export function play(state) {
  return HANDS[(state.round - 1) % 3];
}
