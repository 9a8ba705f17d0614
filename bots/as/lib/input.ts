// What a command bot gets on stdin: one JSON line such as
//   {"botname":"me","opponent":"you","round":2,"history":["Rock","Paper"],
//    "my_moves":["Rock","Paper"],"opponent_moves":["Scissors","Rock"],"total_rounds":1000}
// AssemblyScript has no JSON parser in its standard library, and the shape is fixed, so these
// helpers scan for the few keys a bot needs instead of parsing the whole document.

export const ROCK: i32 = 0;
export const PAPER: i32 = 1;
export const SCISSORS: i32 = 2;
/** A history entry that was not a hand ("Invalid" in Snippy's histories). */
export const INVALID: i32 = -1;

/** Reads stdin to the end (the host closes it after the one line). */
export function readStdin(): string {
  const chunks = new Array<ArrayBuffer>();
  let total = 0;
  while (true) {
    const chunk = new ArrayBuffer(4096);
    const n = process.stdin.read(chunk);
    if (n <= 0) break;
    chunks.push(chunk.slice(0, n));
    total += n;
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (let i = 0; i < chunks.length; i++) {
    all.set(Uint8Array.wrap(chunks[i]), offset);
    offset += chunks[i].byteLength;
  }
  return String.UTF8.decode(all.buffer);
}

/** The integer after `"key":`, or `fallback` when the key is missing. */
export function intField(json: string, key: string, fallback: i32 = 0): i32 {
  const marker = '"' + key + '":';
  let i = json.indexOf(marker);
  if (i < 0) return fallback;
  i += marker.length;
  while (i < json.length && json.charCodeAt(i) == 32) i++;
  let value = 0;
  let digits = 0;
  while (i < json.length) {
    const c = json.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
    digits++;
    i++;
  }
  return digits > 0 ? value : fallback;
}

/** The hands in the array after `"key":`, as ROCK/PAPER/SCISSORS/INVALID; empty when missing. */
export function handsField(json: string, key: string): i32[] {
  const hands = new Array<i32>();
  const marker = '"' + key + '":[';
  let i = json.indexOf(marker);
  if (i < 0) return hands;
  i += marker.length;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c == 93) break; // ']'
    if (c == 34) {
      // '"': the first letter names the hand; skip to the closing quote.
      hands.push(handFromLetter(json.charCodeAt(i + 1)));
      i = json.indexOf('"', i + 1);
      if (i < 0) break;
    }
    i++;
  }
  return hands;
}

function handFromLetter(c: i32): i32 {
  if (c == 82 || c == 114) return ROCK; // R r
  if (c == 80 || c == 112) return PAPER; // P p
  if (c == 83 || c == 115) return SCISSORS; // S s
  return INVALID;
}

/** The hand that beats `hand`. */
export function beat(hand: i32): i32 {
  return (hand + 1) % 3;
}

/** The title-case name a bot prints: Rock, Paper or Scissors. */
export function handName(hand: i32): string {
  if (hand == ROCK) return 'Rock';
  if (hand == PAPER) return 'Paper';
  return 'Scissors';
}
