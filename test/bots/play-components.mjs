// Plays component bots for a few rounds through jco's transpiled glue with a minimal in-memory
// host, and prints JSON { [file]: { [seed]: "rpsr..." | "fault: ..." } } on stdout.
// Run in a child process, apart from the test's own module graph. Not the sandbox: just enough
// host to see the bots' moves and their randomness.
// Usage: node play-components.mjs ROUNDS SEEDS FILE...
import { readFile } from 'node:fs/promises';
import { transpileBytes } from '@bytecodealliance/jco-transpile';

const [roundsArg, seedsArg, ...files] = process.argv.slice(2);
const rounds = Number(roundsArg);
const seeds = seedsArg.split(',');
const OPPONENT = ['rock', 'rock', 'paper', 'scissors', 'rock', 'paper', 'paper'];

/** A seeded 64-bit LCG standing in for the host's wasi:random. */
function randomFrom(seed) {
  let state = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 1n);
  const next = () => {
    state = BigInt.asUintN(64, state * 6364136223846793005n + 1442695040888963407n);
    return state;
  };
  return {
    getRandomU64: next,
    getRandomBytes: (len) => Uint8Array.from({ length: Number(len) }, () => Number(next() >> 56n)),
  };
}

function imports(seed, log) {
  const missing = (name) =>
    new Proxy(
      {},
      {
        get: (_, key) => () => {
          throw new Error(`host: ${name}.${String(key)} is not provided`);
        },
      },
    );
  const provided = {
    'throwdown:rps/arena': { debug: (m) => log.push(m), myName: () => 'me', opponentName: () => 'them' },
    'throwdown:rps/types': {},
    'wasi:random/random': randomFrom(seed),
  };
  return new Proxy(provided, { get: (target, key) => target[key] ?? missing(String(key)) });
}

const result = {};
for (const file of files) {
  const { files: out } = await transpileBytes(await readFile(file), { name: 'bot', instantiation: 'sync' });
  const glue = `data:text/javascript;base64,${Buffer.from(out['bot.js']).toString('base64')}`;
  const { instantiate } = await import(glue);
  result[file] = {};
  for (const seed of seeds) {
    const log = [];
    let moves = '';
    try {
      const bot = instantiate((path) => new WebAssembly.Module(out[path]), imports(seed, log));
      let mine;
      let theirs;
      for (let round = 1; round <= rounds; round++) {
        mine = bot.play({ round, totalRounds: rounds, myLast: mine, theirLast: theirs });
        moves += mine[0];
        theirs = OPPONENT[(round - 1) % OPPONENT.length];
      }
    } catch (error) {
      moves += ` fault: ${error.message}`;
    }
    result[file][seed] = { moves, log };
  }
}
console.log(JSON.stringify(result));
