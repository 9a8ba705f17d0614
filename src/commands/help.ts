import { describeLimits } from './format.js';
import { COLORS } from './reply.js';
import type { Command } from './types.js';

/** /help: how to write a bot, the limits in force here, and the commands. */
export function helpCommand(docsUrl: string | null): Command {
  const doc = (file: string) =>
    docsUrl ? `[${file}](${docsUrl.replace(/\/$/, '')}/${file})` : `\`${file}\``;
  return {
    name: 'help',
    description: 'How to write a bot, the limits here, and the commands',
    defer: 'ephemeral',
    async handle(ctx) {
      const limits = await ctx.engine.effectiveLimits(ctx.guild.id);
      return {
        ephemeral: true,
        embeds: [
          {
            title: 'Throwdown: rock-paper-scissors for WebAssembly bots',
            color: COLORS.info,
            description: [
              "Write a bot in any language that compiles to WebAssembly, upload the `.wasm` with `/submit`, and it plays everyone else's bots: 1000 rounds a match, won by more than a 2% margin.",
              '',
              `**Two ways to write a bot** (${doc('docs/bot-interface.md')}):`,
              '• a **component** exporting `play(round-state) -> hand` from the `player` world in `wit/rps.wit`: one instance per match, fastest;',
              '• a **WASI command** (Snippy-compatible): reads one JSON line on stdin, prints rock, paper or scissors; one fresh run per move.',
              'Starter bots in WAT, AssemblyScript and JavaScript are in `bots/`; check yours locally with `throwdown validate` and `throwdown match`.',
            ].join('\n'),
            fields: [
              { name: 'Limits on this server', value: describeLimits(limits) },
              {
                name: 'Commands',
                value: [
                  '`/submit` upload a bot (a new upload of the same name adds a version)',
                  '`/challenge @user` play a match now',
                  '`/leaderboard` standings (the buttons open your own copy)',
                  "`/bot info|list|head-to-head` anyone's bots; `/bot versions|retire|activate|rollback|log` yours",
                  '`/tournament status|history|standings` when the next one is, and results',
                  '`/tournament schedule|run-now|cancel` running them (server managers)',
                  '`/settings` e.g. whether a challenge pings you',
                  "`/admin ...` this server's limits, retiring abusive bots (server managers)",
                ].join('\n'),
              },
            ],
            footer: `What limits mean: ${docsUrl ? `${docsUrl.replace(/\/$/, '')}/docs/limits.md` : 'docs/limits.md'}`,
          },
        ],
      };
    },
  };
}
