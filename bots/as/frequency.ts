// Plays what beats the opponent's most frequent hand so far (ties go to rock, then paper).
// A command bot starts fresh every move, so it recounts the whole history each time.
import { beat, handName, handsField, readStdin } from './lib/input';

const theirs = handsField(readStdin(), 'opponent_moves');
const counts = new StaticArray<i32>(3);
for (let i = 0; i < theirs.length; i++) {
  const hand = theirs[i];
  if (hand >= 0) counts[hand]++;
}
let top = 0;
if (counts[1] > counts[top]) top = 1;
if (counts[2] > counts[top]) top = 2;
console.log(handName(beat(top)));
