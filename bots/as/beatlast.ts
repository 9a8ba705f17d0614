// Plays what beats the opponent's previous hand (our "opponent_moves" key; Snippy's "history"
// holds only the bot's own hands). Paper on the first move.
import { PAPER, beat, handName, handsField, INVALID, readStdin } from './lib/input';

const theirs = handsField(readStdin(), 'opponent_moves');
let move = PAPER;
if (theirs.length > 0 && theirs[theirs.length - 1] != INVALID) move = beat(theirs[theirs.length - 1]);
console.log(handName(move));
