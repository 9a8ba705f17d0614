import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiscordAPIError } from 'discord.js';
import { createCommands } from '../src/commands/index.js';
import { tournamentCommand } from '../src/commands/tournament.js';
import { loadConfig, loadEnvFile } from '../src/config.js';
import { deployCommands, InvalidCommandsError } from '../src/discord/deploy.js';

/**
 * Registers Throwdown's slash commands with Discord: `npm run deploy-commands` registers them
 * in DISCORD_DEV_GUILD_ID (instant, for development); `npm run deploy-commands -- --global`
 * registers them for every server the bot is in. Run it after changing a command's name,
 * options or description; the service itself never registers commands.
 *
 * Exit codes: 0 done, 1 Discord refused, 2 missing or invalid configuration.
 */
const USAGE = 'usage: npm run deploy-commands [-- --global]';

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = argv.slice(2);
  const unknown = args.filter((a) => a !== '--global');
  if (unknown.length) {
    console.error(`deploy-commands: unknown argument ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  const global = args.includes('--global');
  loadEnvFile(env);
  const config = loadConfig(env);
  if (!config.ok) {
    for (const problem of config.error) console.error(`deploy-commands: ${problem.message}`);
    return 2;
  }
  const { token, applicationId, devGuildId, restBaseUrl } = config.value.discord;
  const missing = [
    token ? null : 'DISCORD_TOKEN (the bot token from the Developer Portal, Bot page)',
    applicationId ? null : 'DISCORD_APPLICATION_ID (the Application ID on the General Information page)',
    global || devGuildId
      ? null
      : 'DISCORD_DEV_GUILD_ID (the server to register in while developing), or pass --global',
  ].filter((m): m is string => m !== null);
  if (missing.length || !token || !applicationId) {
    console.error(`deploy-commands: set ${missing.join('\n  and ')}\n${USAGE}`);
    return 2;
  }
  const guildId = global ? null : devGuildId;
  const where = guildId ? `in server ${guildId}` : 'globally';
  try {
    const result = await deployCommands({
      token,
      applicationId,
      guildId,
      restBaseUrl,
      commands: createCommands({ docsUrl: config.value.docsUrl, extra: [tournamentCommand(null)] }),
    });
    console.log(`Registered ${result.registered.length} commands ${where} for application ${applicationId}:`);
    for (const c of result.registered) console.log(`  /${c.name} (id ${c.id})`);
    if (restBaseUrl) console.log(`(through ${restBaseUrl})`);
    return 0;
  } catch (error) {
    if (error instanceof InvalidCommandsError) {
      console.error(`deploy-commands: nothing registered; ${error.message}`);
      return 2;
    }
    if (error instanceof DiscordAPIError) {
      const hint =
        error.status === 401
          ? ' (check DISCORD_TOKEN)'
          : error.status === 403 || error.status === 404
            ? ' (check DISCORD_APPLICATION_ID and that the bot was invited to that server with the applications.commands scope)'
            : '';
      console.error(
        `deploy-commands: Discord refused the registration ${where}: ${error.message} (HTTP ${error.status}, code ${error.code})${hint}`,
      );
      return 1;
    }
    console.error(`deploy-commands: could not reach Discord: ${(error as Error)?.message ?? error}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv);
}
