import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../sandbox/workers/paths.js';
import { CliError, usageError } from '../errors.js';
import type { Output } from '../local-commands.js';
import { findLanguage, LANGUAGE_NAMES, type Language, type Scaffold } from './languages.js';
import type { BotInterface } from './recipes.js';
import { shellQuote } from './recipes.js';
import { findClang, findRustc, isMissing } from './toolchains.js';

/**
 * `throwdown new <language> [dir]`: a folder with a bot that beats rock, its build script and a
 * README with the exact commands from source to submission.
 */

const INTERFACE_TEXT: Record<BotInterface, string> = {
  component:
    'a **component** bot: one instance plays the whole match, and the host calls `play` once a round ' +
    'with the round number and both previous hands (see `wit/rps.wit` in the Throwdown repository)',
  command:
    'a **command** bot (WASI preview1, Snippy compatible): a fresh instance every move reads one JSON ' +
    'line on stdin and prints its move as the last line of stdout',
};

/** This checkout's throwdown and the Node running it, shell-quoted, for build scripts and READMEs. */
export function thisThrowdown(): { node: string; bin: string } {
  return {
    node: shellQuote(process.execPath),
    bin: shellQuote(path.join(projectRoot(), 'bin/throwdown.js')),
  };
}

function readme(
  lang: Language,
  iface: BotInterface,
  scaffold: Scaffold,
  dir: string,
  throwdown: { node: string; bin: string },
): string {
  return `# A Throwdown bot in ${lang.title}

This folder was made by \`throwdown new ${lang.name}${lang.interfaces.length > 1 ? ` --interface ${iface}` : ''}\`.
\`${scaffold.source}\` is ${INTERFACE_TEXT[iface]}. Its strategy: play what beats the opponent's
most frequent hand so far (paper first), which beats a bot that always plays rock 1000-0.

## From source to a submitted bot

\`\`\`sh
cd ${shellQuote(dir)}
# build: makes bot.wasm
${scaffold.build.join('\n')}
# the verdict /submit will give: the same sandbox and limits
throwdown validate bot.wasm
# round by round: each bot's move, its fuel and its stderr
throwdown match bot.wasm builtin:rock --rounds 20 --trace
# a tournament against the built-in bots (add any other .wasm files)
throwdown tournament bot.wasm builtin:rock builtin:cycle builtin:random
\`\`\`

Then submit: attach \`bot.wasm\` to \`/submit\` in Discord (or, on a local server,
\`throwdown submit --as you bot.wasm\`).

\`throwdown\` is the command line of the Throwdown checkout: run \`npm link\` there once to put it
on your PATH, or define it for this shell as the checkout that made this folder (it brings its
own Node, so it works whatever \`node\` you have):

\`\`\`sh
alias throwdown="${throwdown.node.replace(/"/g, '\\"')} ${throwdown.bin.replace(/"/g, '\\"')}"
\`\`\`

The build script finds it by itself (or set \`THROWDOWN\` to the command).

## Notes

- Limits: every move has a fuel (instruction) budget, memory and output caps; \`throwdown validate\`
  prints how much fuel a move of yours takes. All limits: docs/limits.md in the repository.
- Randomness and clocks come from the host, seeded by the match: the same match replays exactly.
- Writing bots in ${lang.title}, and the interface in full: docs/bot-interface.md in the repository.
`;
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw error;
  }
}

/** A line saying what to install when the language's compiler is missing here; null when it is there. */
async function toolchainNote(lang: Language, iface: BotInterface): Promise<string | null> {
  if (lang.toolchain === 'c') {
    const clang = await findClang();
    return isMissing(clang) ? clang.missing : null;
  }
  if (lang.toolchain === 'rust') {
    const rustc = await findRustc(iface);
    return isMissing(rustc) ? rustc.missing : null;
  }
  return null;
}

export async function newCommand(
  language: string,
  dirArg: string | undefined,
  options: { interface?: string },
  io: Output,
): Promise<number> {
  const lang = findLanguage(language);
  if (!lang) throw usageError(`no starter for "${language}"; choose one of ${LANGUAGE_NAMES.join(', ')}`);
  const iface = (options.interface ?? lang.interfaces[0]) as BotInterface;
  if (!lang.interfaces.includes(iface)) {
    throw usageError(`${lang.title} bots here are ${lang.interfaces.join(' or ')} bots, not ${iface} bots`);
  }
  const dir = dirArg ?? `${lang.name}-bot`;
  if (!(await isEmptyOrMissing(dir))) throw new CliError(`${dir} already exists and is not empty`);

  const throwdown = thisThrowdown();
  const scaffold = await lang.scaffold(iface, { root: projectRoot(), throwdown });
  const files = { ...scaffold.files, 'README.md': readme(lang, iface, scaffold, dir, throwdown) };
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  for (const name of scaffold.executable) await chmod(path.join(dir, name), 0o755);

  io.out(`Created ${dir}/: a ${lang.title} ${iface} bot (${scaffold.source}) that beats rock. Next:`);
  io.out(`  cd ${shellQuote(dir)}`);
  for (const line of scaffold.build) io.out(`  ${line}`);
  io.out('  throwdown validate bot.wasm');
  io.out('  throwdown tournament bot.wasm builtin:rock builtin:cycle builtin:random');
  const note = await toolchainNote(lang, iface);
  if (note) io.out(`Note: ${note}`);
  return 0;
}
