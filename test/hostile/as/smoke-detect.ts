// Tries to tell the upload's smoke match from a real one by what used to give it away: a
// 20-round match, its own name "your-bot", an opponent called "reference/...". Where it thinks
// it is being tested it plays Rock; anywhere else it prints nothing (an invalid move). The smoke
// match must look like a real one, so it is refused at upload.
const chunk = new ArrayBuffer(65536);
const n = process.stdin.read(chunk);
const line = String.UTF8.decode(chunk.slice(0, n < 0 ? 0 : n));
const smoke =
  line.includes('"total_rounds":20}') ||
  line.includes('"botname":"your-bot"') ||
  line.includes('"opponent":"reference/');
if (smoke) console.log('Rock');
