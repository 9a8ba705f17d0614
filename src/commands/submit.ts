import { userError } from '../engine/errors.js';
import { formatSize } from '../sandbox/prepare/classify.js';
import { describeReport } from './format.js';
import { COLORS } from './reply.js';
import type { AttachmentValue, Command } from './types.js';

/** /submit: upload a .wasm bot; it is validated, test-played and stored as a new version. */
export const submitCommand: Command = {
  name: 'submit',
  description: 'Upload a bot (.wasm); uploading the same name again adds a new version',
  options: [
    { name: 'bot', description: 'The compiled .wasm file', type: 'attachment', required: true },
    {
      name: 'name',
      description: 'Bot name (letters, digits, - and _); defaults to the file name',
      type: 'string',
      maxLength: 32,
      autocomplete: 'own-bots',
    },
  ],
  defer: 'ephemeral',
  rateLimit: 'submit',
  async handle(ctx, input) {
    const file = input.options.bot as AttachmentValue | undefined;
    if (!file) return userError('invalid-input', "Attach your bot's .wasm file to /submit.");
    const limits = await ctx.engine.effectiveLimits(ctx.guild.id);
    // Refuse from the metadata first, before downloading anything.
    if (file.size > limits.moduleBytes) {
      return userError(
        'invalid-input',
        `That file is ${formatSize(file.size)}; bots may be at most ${formatSize(limits.moduleBytes)}.`,
      );
    }
    const bytes = await file.download(limits.moduleBytes);
    if (!bytes.ok) return bytes.error;
    const result = await ctx.engine.submit({
      guild: ctx.guild,
      player: ctx.user,
      name: (input.options.name as string | undefined) ?? null,
      filename: file.filename,
      bytes: bytes.value,
    });
    if (!result.ok) return result.error;
    const { bot, version, isNew, botCreated, reactivated, report } = result.value;
    const headline = botCreated
      ? `**${bot.name}** is registered (version 1) and will play in challenges and tournaments.`
      : isNew
        ? `**${bot.name}** version ${version.version} is now current.`
        : `These bytes are already **${bot.name}** version ${version.version}; it is current again.`;
    return {
      ephemeral: true,
      embeds: [
        {
          title: `Accepted: ${bot.name}`,
          color: COLORS.ok,
          description: `${headline}${reactivated ? '\nIt was retired; this upload brought it back.' : ''}\n\n${describeReport(report)}`,
          footer: `sha256 ${report.sha256.slice(0, 16)}… · /challenge someone to try it`,
        },
      ],
    };
  },
};
