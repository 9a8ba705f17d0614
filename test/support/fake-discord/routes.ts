// The shape shared by the route tables and the HTTP server: a route is a method, a path
// template with `:params`, whether it needs the bot token, and a synchronous handler.
import type { APIUser } from 'discord.js';
import type { MessageDeps } from './messages.js';
import type { Json, UploadedFile } from './store.js';

export interface World extends MessageDeps {
  applicationId: string;
  bot: APIUser;
  gatewayUrl: () => string;
}

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json | undefined;
  files: UploadedFile[];
}

export interface Reply {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  template: string;
  /** Needs `Authorization: Bot <token>`. Interaction callbacks and webhook-token routes do not. */
  auth: boolean;
  /** Counted against a rate-limit bucket (interaction callbacks are not). */
  rateLimited: boolean;
  handle: (ctx: RouteContext) => Reply;
}

export const ok = (body: unknown, status = 200): Reply => ({ status, body });
export const noContent = (): Reply => ({ status: 204 });

type RouteSpec = [method: string, template: string, handle: Route['handle']];

export function route(
  [method, template, handle]: RouteSpec,
  opts: Partial<Pick<Route, 'auth' | 'rateLimited'>> = {},
): Route {
  return { method, template, handle, auth: opts.auth ?? true, rateLimited: opts.rateLimited ?? true };
}

/** Match a decoded path against the table; literal segments win over `:params` by table order. */
export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | { route: undefined; allowed: boolean } {
  const parts = path.split('/');
  let allowed = false;
  for (const route of routes) {
    const template = route.template.split('/');
    if (template.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const hit = template.every((seg, i) => {
      if (seg.startsWith(':')) {
        params[seg.slice(1)] = parts[i]!;
        return parts[i] !== '';
      }
      return seg === parts[i];
    });
    if (!hit) continue;
    if (route.method === method) return { route, params };
    allowed = true;
  }
  return { route: undefined, allowed };
}
