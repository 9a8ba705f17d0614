// A local stand-in for Discord's REST API, gateway and CDN, for driving the real discord.js
// client in tests:
//
//   const fake = await startFakeDiscord();
//   const client = new Client({
//     intents: [GatewayIntentBits.Guilds],
//     rest: { api: fake.restUrl, globalRequestsPerSecond: 1e6 },
//   });
//   const ready = once(client, Events.ClientReady); // before login: READY can win the race
//   await client.login(fake.token);
//   await ready;
//   const file = fake.addAttachment({ filename: 'bot.wasm', bytes, contentType: 'application/wasm' });
//   const handle = fake.sendChatInput({ name: 'submit', user: fake.users.bob, options: { bot: file } });
//   const [defer, edit] = await handle.waitForReplies(2);
//   ...
//   await client.destroy();
//   await fake.close();
//
// Files: fake-discord.ts (the API), interaction-handle.ts, interaction-payloads.ts and
// payloads.ts (what Discord sends), rest-routes.ts and interaction-routes.ts (what it answers),
// messages.ts, validate.ts, rate-limits.ts, cdn.ts, gateway.ts, http-server.ts, store.ts.
export type { AttachmentInput } from './cdn.js';
export { FakeDiscord, type FakeDiscordOptions, type GuildInput, startFakeDiscord } from './fake-discord.js';
export type { GatewayFrame } from './gateway.js';
export { InteractionHandle } from './interaction-handle.js';
export type {
  AutocompleteInput,
  ChatInputInput,
  ComponentInput,
  ModalSubmitInput,
  OptionValue,
} from './interaction-payloads.js';
export type { Delivery, SignedPostOptions } from './outgoing-webhook.js';
export type { ForcedRateLimit, RouteLimit } from './rate-limits.js';
export type { GuildRecord, InteractionReply, RecordedRequest, UploadedFile } from './store.js';
