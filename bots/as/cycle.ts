// Plays Rock, Paper, Scissors, Rock, ... using only Snippy's keys: "round" is the number of
// rounds already played, 0 on the first move. A bot written for Snippy runs here unchanged.
import { handName, intField, readStdin } from './lib/input';

const round = intField(readStdin(), 'round');
console.log(handName(round % 3));
