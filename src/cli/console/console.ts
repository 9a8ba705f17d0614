import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Dispatcher } from '../../commands/dispatch.js';
import type { AttachmentValue, CommandContext } from '../../commands/types.js';
import { userError } from '../../engine/errors.js';
import type { Engine } from '../../engine/index.js';
import { formatSize } from '../../sandbox/prepare/classify.js';
import type { Logger } from '../../util/logger.js';
import { err, ok } from '../../util/result.js';
import { parseLine } from './parse-line.js';
import { renderReply } from './render.js';

/**
 * The local console: the same commands as Discord, typed (or piped) on stdin, as a local user
 * in a local guild, on the embedded database. Console-only commands: /as NAME switches the
 * user, /press ID presses a button, /quit ends. Files in replies are saved under `filesDir`.
 */
export interface ConsoleOptions {
  dispatcher: Dispatcher;
  engine: Engine;
  logger: Logger;
  input: Readable;
  output: Writable;
  filesDir: string;
  /** The first user; switch with /as. */
  user?: string;
  guild?: { id: string; name: string };
  now?: () => Date;
  /** Aborted when the service is stopping: the console stops reading; the command in progress ends first. */
  signal?: AbortSignal;
}

function localAttachment(file: string): AttachmentValue {
  return {
    filename: path.basename(file),
    size: 0,
    contentType: null,
    async download(maxBytes) {
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(file);
      } catch {
        return err(userError('invalid-input', `${file}: no such file.`));
      }
      if (!info.isFile()) return err(userError('invalid-input', `${file} is not a file.`));
      if (info.size > maxBytes) {
        return err(
          userError(
            'invalid-input',
            `That file is ${formatSize(info.size)}; bots may be at most ${formatSize(maxBytes)}.`,
          ),
        );
      }
      return ok(new Uint8Array(await readFile(file)));
    },
  };
}

export async function runConsole(options: ConsoleOptions): Promise<void> {
  const guild = options.guild ?? { id: 'local', name: 'Local' };
  let user = options.user ?? 'you';
  const out = (text: string) => options.output.write(`${text}\n`);
  const interactive = Boolean((options.input as { isTTY?: boolean }).isTTY);
  const context = (): CommandContext => ({
    guild,
    user: { userId: user, displayName: user },
    channelId: 'console',
    isAdmin: true,
    engine: options.engine,
    logger: options.logger,
    now: options.now ?? (() => new Date()),
  });

  const show = async (reply: Awaited<ReturnType<Dispatcher['run']>>) => {
    const rendered = renderReply(reply, { now: (options.now ?? (() => new Date()))() });
    if (rendered.text) out(rendered.text);
    for (const file of rendered.files) {
      await mkdir(options.filesDir, { recursive: true });
      const where = path.join(options.filesDir, file.name);
      await writeFile(where, file.data);
      out(`[file saved: ${where}${file.description ? ` — ${file.description.split('\n')[0]}` : ''}]`);
    }
  };

  const handle = async (line: string): Promise<boolean> => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return true;
    const [word, ...rest] = trimmed.split(/\s+/);
    switch (word) {
      case '/quit':
      case '/exit':
        return false;
      case '/as':
        if (!rest[0]) out(`You are ${user}. Switch user with /as NAME.`);
        else {
          user = rest[0].replace(/^@/, '');
          out(`You are now ${user}.`);
        }
        return true;
      case '/press':
        if (!rest[0])
          out('/press needs the id of a button (shown after a reply with buttons).\nUsage: /press BUTTON-ID');
        else await show(await options.dispatcher.press(context(), rest[0]));
        return true;
    }
    const parsed = parseLine(trimmed, options.dispatcher.commands, { attachment: localAttachment });
    if (!parsed.ok) {
      out(parsed.error);
      return true;
    }
    await show(await options.dispatcher.run(context(), parsed.value.name, parsed.value.input));
    return true;
  };

  out(
    `Local console: you are "${user}" in guild "${guild.name}". Type /help for commands, /as NAME to switch user, /quit to leave.`,
  );
  if (options.signal?.aborted) return;
  const lines = createInterface({ input: options.input, terminal: false });
  const stopReading = () => lines.close();
  options.signal?.addEventListener('abort', stopReading, { once: true });
  if (interactive) options.output.write('> ');
  // One line at a time, in order, even when input is piped faster than matches run.
  for await (const line of lines) {
    if (interactive) out('');
    const more = await handle(line);
    if (!more) break;
    if (options.signal?.aborted) break;
    if (interactive) options.output.write('> ');
  }
  options.signal?.removeEventListener('abort', stopReading);
  lines.close();
}
