/**
 * The allow-list of places attachments are downloaded from (config.discord.attachmentHosts).
 * A bare host (`cdn.discordapp.com`) allows https on the default port; an origin
 * (`http://127.0.0.1:8080`) allows exactly that scheme, host and port, which is how plain http
 * is opted into (tests, a local proxy). Anything else, including redirects, is refused.
 */
export interface AllowedOrigin {
  protocol: 'http:' | 'https:';
  /** Host name plus `:port` when not the scheme's default (URL#host). */
  host: string;
}

export function parseAllowedHosts(entries: readonly string[]): AllowedOrigin[] {
  return entries.flatMap((entry): AllowedOrigin[] => {
    const text = entry.trim().toLowerCase();
    if (!text) return [];
    const withScheme = text.includes('://') ? text : `https://${text}`;
    if (!URL.canParse(withScheme)) return [];
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return [];
    return [{ protocol: url.protocol, host: url.host }];
  });
}

export function isAllowedUrl(url: URL, allowed: readonly AllowedOrigin[]): boolean {
  return allowed.some((a) => a.protocol === url.protocol && a.host === url.host);
}
