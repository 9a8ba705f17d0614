// The HTTP side: `/api/v10/...` through the route tables (auth, rate limits, error bodies,
// request log) and `/cdn/attachments/...` through the CDN. One handler, no framework.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBody } from './body.js';
import { CDN_PREFIX, serveBlob } from './cdn.js';
import { ApiError, notFound, unauthorized } from './errors.js';
import type { RateLimits } from './rate-limits.js';
import { matchRoute, type Reply, type Route } from './routes.js';
import type { RecordedRequest, Store } from './store.js';

export interface HttpDeps {
  store: Store;
  routes: Route[];
  rateLimits: RateLimits;
  /** The bot token requests must carry (read per request so tests can rotate it). */
  token: () => string;
  /** Aborted on close, to stop slow CDN streams. */
  closing: AbortSignal;
}

/** `%40original` arrives encoded; routes see `@original`. */
const decodePath = (path: string) => path.split('/').map(decodeURIComponent).join('/');

function send(res: ServerResponse, reply: Reply, headers: Record<string, string>): void {
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  res
    .writeHead(reply.status, { ...headers, 'content-type': 'application/json' })
    .end(JSON.stringify(reply.body));
}

/** The rate-limit key's major parameter, as Discord buckets it. */
const majorOf = (params: Record<string, string>) =>
  params.channel ?? params.guild ?? (params.token ? `${params.app}/${params.token}` : 'global');

export function httpHandler(deps: HttpDeps) {
  const { store } = deps;
  const record = (entry: Omit<RecordedRequest, 'at'>) => {
    store.requests.push({ ...entry, at: Date.now() });
    store.changed();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const base = { method, query: url.searchParams, body: undefined, files: [] };

    if (url.pathname.startsWith(CDN_PREFIX)) {
      const path = decodePath(url.pathname);
      const status = await serveBlob(store, path, req, res, deps.closing);
      record({ ...base, path, route: `${CDN_PREFIX}:channel/:attachment/:filename`, status });
      return;
    }

    const api = /^\/api\/v(\d+)(\/.*)$/.exec(url.pathname);
    if (api?.[1] !== '10') {
      send(res, { status: 404, body: notFound().body() }, {});
      record({ ...base, path: url.pathname, route: null, status: 404 });
      return;
    }
    const path = decodePath(api[2]!);
    let reply: Reply;
    let headers: Record<string, string> = {};
    let routeTemplate: string | null = null;
    let parsed: Awaited<ReturnType<typeof parseBody>> = { json: undefined, files: [], size: 0 };
    try {
      parsed = await parseBody(req);
      const match = matchRoute(deps.routes, method, path);
      if (!match.route) {
        const status = match.allowed ? 405 : 404;
        throw new ApiError(status, 0, status === 405 ? '405: Method Not Allowed' : '404: Not Found');
      }
      routeTemplate = match.route.template;
      if (match.route.auth && req.headers.authorization !== `Bot ${deps.token()}`) throw unauthorized();
      if (match.route.rateLimited) {
        const verdict = deps.rateLimits.check(method, match.route.template, path, majorOf(match.params));
        headers = verdict.headers;
        if (verdict.limited) {
          const { retryAfterMs, global } = verdict.limited;
          const body = { message: 'You are being rate limited.', retry_after: retryAfterMs / 1000, global };
          record({
            ...base,
            path,
            route: routeTemplate,
            body: parsed.json,
            files: parsed.files,
            status: 429,
          });
          send(res, { status: 429, body }, headers);
          return;
        }
      }
      reply = match.route.handle({
        params: match.params,
        query: url.searchParams,
        body: parsed.json,
        files: parsed.files,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) {
        console.error('fake-discord: handler crashed', method, path, error);
        reply = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
      } else reply = { status: error.status, body: error.body() };
    }
    record({
      ...base,
      path,
      route: routeTemplate,
      body: parsed.json,
      files: parsed.files,
      status: reply.status,
    });
    send(res, reply, headers);
  };

  // Nothing may escape as an unhandled rejection: it would fail an unrelated test.
  return (req: IncomingMessage, res: ServerResponse) =>
    handle(req, res).catch((error) => {
      console.error('fake-discord: request failed', req.method, req.url, error);
      res.destroy();
    });
}
