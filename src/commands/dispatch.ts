import { randomBytes } from 'node:crypto';
import { isUserError, type UserError } from '../engine/errors.js';
import { discordTimestamp } from '../render/time.js';
import { checkInput } from './check-input.js';
import type { RateLimiter } from './rate-limit.js';
import { COLORS, type Reply } from './reply.js';
import type { Command, CommandContext, CommandInput, HandlerResult } from './types.js';

/**
 * The one place that turns a command's outcome into a reply: a UserError becomes an
 * ephemeral message in plain words; an exception is logged with a short id, and the user
 * sees only that id. Rate limits, permission checks and the server's own check of every
 * option (check-input.ts) happen here too, so every transport gets them.
 */
export function errorReply(error: UserError): Reply {
  return { ephemeral: true, embeds: [{ description: error.message, color: COLORS.error }] };
}

export function unexpectedReply(errorId: string): Reply {
  return {
    ephemeral: true,
    embeds: [
      {
        description: `Something went wrong on our side. If it keeps happening, tell the server admins this id: \`${errorId}\`.`,
        color: COLORS.error,
      },
    ],
  };
}

async function settle(ctx: CommandContext, what: string, run: () => Promise<HandlerResult>): Promise<Reply> {
  try {
    const result = await run();
    return isUserError(result) ? errorReply(result) : result;
  } catch (error) {
    const errorId = randomBytes(4).toString('hex');
    ctx.logger.error('command failed', {
      errorId,
      command: what,
      guild: ctx.guild.id,
      user: ctx.user.userId,
      error,
    });
    return unexpectedReply(errorId);
  }
}

export interface Dispatcher {
  commands: readonly Command[];
  find(name: string): Command | undefined;
  /**
   * The checks that come before any work: the command exists, the user may run it, and is not
   * over its rate limit (an allowed call takes a token). Returns the refusal, or null. Lets a
   * transport refuse privately before it acknowledges publicly.
   */
  admit(ctx: CommandContext, name: string, subcommand?: string): Reply | null;
  /**
   * The command's cheap checks (Command.precheck), for a transport about to acknowledge in
   * public: a refusal to answer privately instead, or null. A refusal gives back the rate-limit
   * token admit took, since nothing was spent.
   */
  precheck(ctx: CommandContext, name: string, input: CommandInput): Promise<Reply | null>;
  /** Whether a button's customId still leads to a handler (answer "no longer does anything" at once otherwise). */
  pressable(customId: string): Command | null;
  /** Runs an admitted command. */
  execute(ctx: CommandContext, name: string, input: CommandInput): Promise<Reply>;
  /** admit + execute. */
  run(ctx: CommandContext, name: string, input: CommandInput): Promise<Reply>;
  /** A button press: `customId` is "<command>:<args...>". */
  press(ctx: CommandContext, customId: string): Promise<Reply>;
}

export function createDispatcher(commands: readonly Command[], limiter: RateLimiter): Dispatcher {
  const byName = new Map(commands.map((c) => [c.name, c]));
  return {
    commands,
    find: (name) => byName.get(name),
    admit(ctx, name, subcommand) {
      const command = byName.get(name);
      if (!command)
        return errorReply({
          kind: 'user-error',
          code: 'invalid-input',
          message: `There is no /${name} command.`,
        });
      const sub = subcommand ? command.subcommands?.find((s) => s.name === subcommand) : undefined;
      if ((command.adminOnly || sub?.adminOnly) && !ctx.isAdmin) {
        const what = command.adminOnly ? `/${name}` : `/${name} ${subcommand}`;
        return errorReply({
          kind: 'user-error',
          code: 'forbidden',
          message: `${what} is for server managers (the Manage Server permission).`,
        });
      }
      if (command.rateLimit) {
        const now = ctx.now().getTime();
        const wait = limiter.take(rateKey(ctx, command), now);
        if (wait !== null) {
          // The exact moment, in each reader's own timezone: "in 52 minutes (at 21:07)".
          const at = now + Math.ceil(wait / 1000) * 1000;
          return errorReply({
            kind: 'user-error',
            code: 'rate-limited',
            message: `You are going a bit fast: try /${name} again ${discordTimestamp(at, 'R')} (at ${discordTimestamp(at, 't')}).`,
          });
        }
      }
      return null;
    },
    async precheck(ctx, name, input) {
      const command = byName.get(name);
      if (!command) return null;
      // Bounds first, for every command: a value out of range is refused privately, before any
      // public "thinking…", and before a precheck reads the database with it.
      const invalid = checkInput(command, input);
      if (invalid) {
        if (command.rateLimit) limiter.refund(rateKey(ctx, command));
        return errorReply(invalid);
      }
      if (!command.precheck) return null;
      const reply = await settle(ctx, `/${name} (checks)`, async () => {
        const refusal = await command.precheck!(ctx, input);
        return refusal ?? { content: '' };
      });
      if (!reply.ephemeral) return null;
      if (command.rateLimit) limiter.refund(rateKey(ctx, command));
      return reply;
    },
    pressable(customId) {
      const command = byName.get(customId.split(':')[0] ?? '');
      return command?.handleComponent ? command : null;
    },
    async execute(ctx, name, input) {
      const command = byName.get(name);
      if (!command)
        return errorReply({
          kind: 'user-error',
          code: 'invalid-input',
          message: `There is no /${name} command.`,
        });
      // Refunds: a refusal that cost nothing (bad input, no bot yet, a typo) gives the rate-limit
      // token back; once the handler said work began (ctx.costly: a download, a match in the
      // sandbox), every outcome counts, refusals included.
      let costly = false;
      const refund = () => {
        if (command.rateLimit && !costly) limiter.refund(rateKey(ctx, command));
      };
      const invalid = checkInput(command, input);
      if (invalid) {
        refund();
        return errorReply(invalid);
      }
      const counted: CommandContext = {
        ...ctx,
        costly: () => {
          costly = true;
          ctx.costly?.();
        },
      };
      return settle(ctx, `/${name}${input.subcommand ? ` ${input.subcommand}` : ''}`, async () => {
        const result = await command.handle(counted, input);
        if (isUserError(result)) refund();
        return result;
      });
    },
    async run(ctx, name, input) {
      return (
        this.admit(ctx, name, input.subcommand) ??
        (await this.precheck(ctx, name, input)) ??
        this.execute(ctx, name, input)
      );
    },
    async press(ctx, customId) {
      const [name, ...args] = customId.split(':');
      const command = name ? byName.get(name) : undefined;
      if (!command?.handleComponent) {
        return errorReply({
          kind: 'user-error',
          code: 'invalid-input',
          message: 'That button no longer does anything.',
        });
      }
      return settle(ctx, `button ${customId}`, () => command.handleComponent!(ctx, args));
    },
  };
}

/**
 * Rate limits are per user across every guild: what they protect (the sandbox, downloads) is
 * shared by all guilds, so joining a second server must not double anyone's allowance.
 */
function rateKey(ctx: CommandContext, command: Command) {
  return { userId: ctx.user.userId, kind: command.rateLimit! };
}
