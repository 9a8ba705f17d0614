// Discord's JSON error bodies. discord.js turns them into DiscordAPIError with `.code` and
// `.status`, so tests (and the bot's error handling) can branch on the real numbers.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

export const unauthorized = () => new ApiError(401, 0, '401: Unauthorized');
export const notFound = () => new ApiError(404, 0, '404: Not Found');
export const unknownChannel = () => new ApiError(404, 10003, 'Unknown Channel');
export const unknownGuild = () => new ApiError(404, 10004, 'Unknown Guild');
export const unknownMember = () => new ApiError(404, 10007, 'Unknown Member');
export const unknownMessage = () => new ApiError(404, 10008, 'Unknown Message');
export const unknownWebhook = () => new ApiError(404, 10015, 'Unknown Webhook');
export const unknownCommand = () => new ApiError(404, 10063, 'Unknown application command');
export const unknownInteraction = () => new ApiError(404, 10062, 'Unknown interaction');
export const invalidWebhookToken = () => new ApiError(401, 50027, 'Invalid Webhook Token');
export const alreadyAcknowledged = () =>
  new ApiError(400, 40060, 'Interaction has already been acknowledged.');
export const cannotEditOthers = () =>
  new ApiError(403, 50005, 'Cannot edit a message authored by another user');
export const missingPermissions = () => new ApiError(403, 50013, 'Missing Permissions');
export const emptyMessage = () => new ApiError(400, 50006, 'Cannot send an empty message');
export const tooLarge = () => new ApiError(413, 40005, 'Request entity too large');

/** One or more field errors, in Discord's nested `{ field: { _errors: [...] } }` form. */
export function invalidFormBody(fields: Array<{ path: string; code: string; message: string }>): ApiError {
  const errors: Record<string, unknown> = {};
  for (const { path, code, message } of fields) {
    let node = errors;
    for (const key of path.split('.')) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node._errors = [...((node._errors as unknown[] | undefined) ?? []), { code, message }];
  }
  return new ApiError(400, 50035, 'Invalid Form Body', errors);
}
