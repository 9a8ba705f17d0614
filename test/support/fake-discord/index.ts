// A local stand-in for Discord's REST API, gateway and CDN, for driving the real discord.js
// client in tests. Start with `startFakeDiscord()`; see fake-discord.ts for the API.
export type { AttachmentInput } from './cdn.js';
export {
  FakeDiscord,
  type FakeDiscordOptions,
  type GuildInput,
  InteractionHandle,
  startFakeDiscord,
} from './fake-discord.js';
export type { GatewayFrame } from './gateway.js';
export type {
  AutocompleteInput,
  ChatInputInput,
  ComponentInput,
  ModalSubmitInput,
  OptionValue,
} from './interaction-payloads.js';
export type { ForcedRateLimit, RouteLimit } from './rate-limits.js';
export type { GuildRecord, InteractionReply, RecordedRequest, UploadedFile } from './store.js';
