// The same Snippy bot as follow.rs, in AssemblyScript with @assemblyscript/wasi-shim (the way
// Snippy's AssemblyScript sample is built): reads the four keys Snippy sends, checks that
// "round" equals the length of "history" (its own hands), and plays the hand after its last.
// Written without the repository's helpers, as a Snippy author would.
let input = '';
const chunk = new ArrayBuffer(4096);
while (true) {
  const n = process.stdin.read(chunk);
  if (n <= 0) break;
  input += String.UTF8.decode(chunk.slice(0, n));
}

function after(key: string): string {
  const marker = '"' + key + '":';
  const at = input.indexOf(marker);
  return at < 0 ? '' : input.substring(at + marker.length);
}

const names = after('botname').startsWith('"') && after('opponent').startsWith('"');
const roundText = after('round');
let round = 0;
let digits = 0;
while (digits < roundText.length && roundText.charCodeAt(digits) >= 48 && roundText.charCodeAt(digits) <= 57) {
  round = round * 10 + (roundText.charCodeAt(digits) - 48);
  digits++;
}
const list = after('history');
const body = list.substring(1, list.indexOf(']'));
const history = body.length == 0 ? new Array<string>() : body.split(',');
if (!names || digits == 0 || round != history.length) {
  console.log('Protocol-mismatch');
} else {
  const last = history.length == 0 ? '' : history[history.length - 1];
  console.log(last == '"Rock"' ? 'Paper' : last == '"Paper"' ? 'Scissors' : 'Rock');
}
