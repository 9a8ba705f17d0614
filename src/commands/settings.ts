import { COLORS } from './reply.js';
import type { Command } from './types.js';

/**
 * /settings: a player's own preferences in this server. For now one: whether a challenge
 * against them pings them. Off by default, since nothing Throwdown posts should notify anyone
 * who did not ask for it; the result names them either way.
 */
export const settingsCommand: Command = {
  name: 'settings',
  description: 'Your preferences here, e.g. whether challenges ping you',
  options: [
    {
      name: 'challenge_pings',
      description: 'Be pinged when someone challenges you (default: off)',
      type: 'boolean',
    },
  ],
  defer: 'ephemeral',
  async handle(ctx, input) {
    const want = input.options.challenge_pings as boolean | undefined;
    const settings =
      want === undefined
        ? await ctx.engine.playerSettings({ guild: ctx.guild, player: ctx.user })
        : await ctx.engine.setChallengePings({ guild: ctx.guild, player: ctx.user, on: want });
    const pings = settings.challengePings
      ? '**on**: a challenge against you mentions you with a notification.'
      : '**off**: a challenge against you names you without a notification.';
    return {
      ephemeral: true,
      embeds: [
        {
          title: want === undefined ? 'Your settings' : 'Settings saved',
          color: want === undefined ? COLORS.info : COLORS.ok,
          description: `Challenge pings: ${pings}\nChange it with \`/settings challenge_pings:${settings.challengePings ? 'False' : 'True'}\`.`,
        },
      ],
    };
  },
};
