import { userError } from '../engine/errors.js';
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
    // Everything that can be refused without the bytes is refused before downloading them:
    // the name, the announced size, the user's storage quotas.
    const cheap = await ctx.engine.checkUpload({
      guild: ctx.guild,
      player: ctx.user,
      name: (input.options.name as string | undefined) ?? null,
      filename: file.filename,
      size: file.size,
    });
    if (!cheap.ok) return cheap.error;
    const limits = await ctx.engine.effectiveLimits(ctx.guild.id);
    // From here the upload costs us (a download, then the sandbox): it counts, whatever comes.
    ctx.costly?.();
    const bytes = await file.download(limits.moduleBytes);
    if (!bytes.ok) return bytes.error;
    const result = await ctx.engine.submit({
      guild: ctx.guild,
      player: ctx.user,
      name: cheap.value.name,
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
