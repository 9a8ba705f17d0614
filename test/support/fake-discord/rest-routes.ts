// Bot-token REST routes: gateway discovery, identity, command registration, channels,
// messages, threads and guild reads. Interaction callbacks and webhooks live in
// interaction-routes.ts.
import {
  type APIApplicationCommand,
  type APIChannel,
  type APIMessage,
  ApplicationCommandType,
  ChannelType,
  GatewayIntentBits,
  MessageFlags,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import {
  ApiError,
  cannotEditOthers,
  invalidFormBody,
  missingPermissions,
  notFound,
  unknownChannel,
  unknownCommand,
  unknownGuild,
  unknownMember,
  unknownMessage,
} from './errors.js';
import { createMessage, deleteMessage, editMessage } from './messages.js';
import { apiApplication, apiCommand, apiGuild, apiThread } from './payloads.js';
import { noContent, ok, type Route, type RouteContext, route, type World } from './routes.js';
import { snowflake } from './snowflake.js';
import type { Json } from './store.js';
import { validateCommand } from './validate.js';

function commandRoutes(world: World, prefix: string): Route[] {
  const { store } = world;
  const scope = (p: Record<string, string>) => {
    if (p.app !== world.applicationId) throw notFound();
    if (p.guild && !store.guilds.has(p.guild)) throw unknownGuild();
    return p.guild ?? 'global';
  };
  const list = (key: string) => store.commands.get(key) ?? [];
  const build = (key: string, input: Json, previous?: APIApplicationCommand) =>
    apiCommand(input as Partial<APIApplicationCommand> & { name: string }, {
      id: previous?.id ?? snowflake(),
      version: snowflake(),
      applicationId: world.applicationId,
      ...(key === 'global' ? {} : { guildId: key }),
    });
  // A command is identified by name and type: re-registering keeps its id, like Discord.
  const same = (a: Json, b: APIApplicationCommand) =>
    a.name === b.name && ((a.type as number | undefined) ?? ApplicationCommandType.ChatInput) === b.type;
  const find = (key: string, id: string | undefined) => {
    const found = list(key).find((c) => c.id === id);
    if (!found) throw unknownCommand();
    return found;
  };
  const save = (key: string, commands: APIApplicationCommand[]) => {
    store.commands.set(key, commands);
    store.changed();
  };
  return [
    route(['GET', prefix, ({ params }) => ok(list(scope(params)))]),
    route([
      'PUT',
      prefix,
      ({ params, body }) => {
        const key = scope(params);
        const inputs = (Array.isArray(body) ? body : []) as Json[];
        // Validate all first: one bad command rejects the whole overwrite, as on Discord.
        inputs.forEach((input, i) => {
          validateCommand(input, `${i}.`);
        });
        const next = inputs.map((input) =>
          build(
            key,
            input,
            list(key).find((c) => same(input, c)),
          ),
        );
        save(key, next);
        return ok(list(key));
      },
    ]),
    route([
      'POST',
      prefix,
      ({ params, body }) => {
        const key = scope(params);
        const input = body ?? {};
        validateCommand(input);
        const previous = list(key).find((c) => same(input, c));
        const command = build(key, input, previous);
        save(key, [...list(key).filter((c) => c !== previous), command]);
        return ok(command, previous ? 200 : 201);
      },
    ]),
    route(['GET', `${prefix}/:command`, ({ params }) => ok(find(scope(params), params.command))]),
    route([
      'PATCH',
      `${prefix}/:command`,
      ({ params, body }) => {
        const key = scope(params);
        const previous = find(key, params.command);
        const merged = { ...previous, ...body };
        validateCommand(merged);
        const command = build(key, merged, previous);
        save(
          key,
          list(key).map((c) => (c === previous ? command : c)),
        );
        return ok(command);
      },
    ]),
    route([
      'DELETE',
      `${prefix}/:command`,
      ({ params }) => {
        const key = scope(params);
        const previous = find(key, params.command);
        save(
          key,
          list(key).filter((c) => c !== previous),
        );
        return noContent();
      },
    ]),
  ];
}

export function restRoutes(world: World): Route[] {
  const { store } = world;
  const channel = (id: string | undefined): APIChannel => {
    const found = id ? store.channels.get(id) : undefined;
    if (!found) throw unknownChannel();
    return found;
  };
  const message = (channelId: string | undefined, id: string | undefined): APIMessage => {
    channel(channelId);
    const found = id ? store.messages.get(id) : undefined;
    if (!found || found.channel_id !== channelId) throw unknownMessage();
    return found;
  };
  const guild = (id: string | undefined) => {
    const found = id ? store.guilds.get(id) : undefined;
    if (!found) throw unknownGuild();
    return found;
  };

  const createThread = ({ params, body }: RouteContext, starter?: APIMessage) => {
    const parent = channel(params.channel) as APIChannel & { guild_id: string };
    const type =
      starter !== undefined
        ? parent.type === ChannelType.GuildAnnouncement
          ? ChannelType.AnnouncementThread
          : ChannelType.PublicThread
        : (body?.type as number | undefined);
    const name = body?.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
      throw invalidFormBody([
        { path: 'name', code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' },
      ]);
    }
    if (
      type !== ChannelType.PublicThread &&
      type !== ChannelType.PrivateThread &&
      type !== ChannelType.AnnouncementThread
    ) {
      // API v10 made `type` required when there is no starter message.
      throw invalidFormBody([
        { path: 'type', code: 'BASE_TYPE_REQUIRED', message: 'This field is required' },
      ]);
    }
    const thread = apiThread({
      // A thread started from a message shares the message's id.
      id: starter?.id ?? snowflake(),
      guildId: parent.guild_id,
      parentId: parent.id,
      ownerId: world.bot.id,
      name,
      type,
      autoArchiveDuration:
        (body?.auto_archive_duration as ThreadAutoArchiveDuration | undefined) ??
        ThreadAutoArchiveDuration.OneDay,
      ...(typeof body?.invitable === 'boolean' ? { invitable: body.invitable } : {}),
    });
    store.channels.set(thread.id, thread);
    store.guilds.get(parent.guild_id)?.channelIds.push(thread.id);
    if (starter) {
      starter.thread = thread;
      starter.flags = (starter.flags ?? 0) | MessageFlags.HasThread;
    }
    world.dispatch('THREAD_CREATE', { ...thread, newly_created: true }, GatewayIntentBits.Guilds);
    store.changed();
    return ok(thread, 201);
  };

  return [
    route([
      'GET',
      '/gateway/bot',
      () =>
        ok({
          url: world.gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
        }),
    ]),
    route(['GET', '/gateway', () => ok({ url: world.gatewayUrl() })], { auth: false }),
    route([
      'GET',
      '/users/@me',
      () => ok({ ...world.bot, verified: true, mfa_enabled: false, locale: 'en-US' }),
    ]),
    route([
      'GET',
      '/users/:user',
      ({ params }) => {
        const user = store.users.get(params.user!);
        if (!user) throw new ApiError(404, 10013, 'Unknown User');
        return ok(user);
      },
    ]),
    route(['GET', '/applications/@me', () => ok(apiApplication(world.applicationId, world.bot))]),
    ...commandRoutes(world, '/applications/:app/commands'),
    ...commandRoutes(world, '/applications/:app/guilds/:guild/commands'),

    route(['GET', '/channels/:channel', ({ params }) => ok(channel(params.channel))]),
    route([
      'GET',
      '/channels/:channel/messages',
      ({ params, query }) => {
        channel(params.channel);
        const limit = Math.min(100, Number(query.get('limit') ?? 50));
        const before = query.get('before');
        const after = query.get('after');
        // Newest first, as Discord lists them.
        const all = store
          .channelMessages(params.channel!)
          .filter(
            (m) => (!before || BigInt(m.id) < BigInt(before)) && (!after || BigInt(m.id) > BigInt(after)),
          )
          .filter((m) => !((m.flags ?? 0) & MessageFlags.Ephemeral))
          .reverse();
        return ok(all.slice(0, limit));
      },
    ]),
    route([
      'POST',
      '/channels/:channel/messages',
      ({ params, body, files }) => {
        channel(params.channel);
        if (store.sendDenied.has(params.channel!)) throw missingPermissions();
        // Ephemeral is an interaction-only flag; Discord drops it on channel messages.
        const flags = ((body?.flags as number | undefined) ?? 0) & ~MessageFlags.Ephemeral;
        const created = createMessage(world, params.channel!, { ...body, flags }, files, {
          author: world.bot,
        });
        return ok(created);
      },
    ]),
    route([
      'GET',
      '/channels/:channel/messages/:message',
      ({ params }) => ok(message(params.channel, params.message)),
    ]),
    route([
      'PATCH',
      '/channels/:channel/messages/:message',
      ({ params, body, files }) => {
        const found = message(params.channel, params.message);
        if (found.author.id !== world.bot.id) throw cannotEditOthers();
        return ok(editMessage(world, found, body, files));
      },
    ]),
    route([
      'DELETE',
      '/channels/:channel/messages/:message',
      ({ params }) => {
        deleteMessage(world, message(params.channel, params.message));
        return noContent();
      },
    ]),
    route(['POST', '/channels/:channel/typing', () => noContent()]),
    route(['POST', '/channels/:channel/threads', (ctx) => createThread(ctx)]),
    route([
      'POST',
      '/channels/:channel/messages/:message/threads',
      (ctx) => createThread(ctx, message(ctx.params.channel, ctx.params.message)),
    ]),

    route([
      'GET',
      '/guilds/:guild',
      ({ params, query }) => {
        const g = guild(params.guild);
        const counts =
          query.get('with_counts') === 'true'
            ? { approximate_member_count: g.members.size, approximate_presence_count: 0 }
            : {};
        return ok({ ...apiGuild({ id: g.id, name: g.name, ownerId: g.ownerId, roles: g.roles }), ...counts });
      },
    ]),
    route([
      'GET',
      '/guilds/:guild/channels',
      ({ params }) =>
        ok(
          guild(params.guild)
            .channelIds.map((id) => store.channels.get(id)!)
            .filter((c) => !('thread_metadata' in c)),
        ),
    ]),
    route(['GET', '/guilds/:guild/roles', ({ params }) => ok(guild(params.guild).roles)]),
    route([
      'GET',
      '/guilds/:guild/members/:user',
      ({ params }) => {
        const member = guild(params.guild).members.get(params.user!);
        if (!member) throw unknownMember();
        return ok(member);
      },
    ]),
  ];
}
