// Plays what beats the opponent's previous hand; paper in round 1. It also greets its
// opponent once through the arena interface (shown in the bot's debug log): that is how a
// component bot logs, since this one is built with WASI stubbed out and console.log would trap.
import { debug, opponentName } from 'throwdown:rps/arena@0.1.0';

const BEATS = { rock: 'paper', paper: 'scissors', scissors: 'rock' };

export function play(state) {
  if (state.round === 1) debug(`beatlast says hello to ${opponentName()}`);
  // An absent option arrives as null (or undefined); a present one as the hand's name.
  return state.theirLast ? BEATS[state.theirLast] : 'paper';
}
