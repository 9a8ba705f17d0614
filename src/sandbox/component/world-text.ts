/**
 * Reads the WIT that `componentWit` prints for a component ("world root { ... }") into the
 * lists the validator checks: imported interfaces/functions, exported items with their
 * signatures, and `use` lines. The printer's output is regular (one item per line at depth 1),
 * so a line reader is enough; anything we cannot read is reported, never guessed.
 */
export interface WorldItem {
  /** "wasi:cli/stdout@0.2.3", "throwdown:rps/arena@0.1.0" or a plain name like "play". */
  name: string;
  /** For functions: the text after "name: ", e.g. "func(state: round-state) -> hand". */
  signature?: string;
}

export interface WorldSummary {
  imports: WorldItem[];
  exports: WorldItem[];
  /** e.g. "throwdown:rps/types@0.1.0.{hand, round-state}". */
  uses: string[];
}

function readItem(rest: string): WorldItem {
  const body = rest.replace(/;$/, '').trim();
  const colon = body.indexOf(': ');
  if (colon > 0 && !body.slice(0, colon).includes('/')) {
    return { name: body.slice(0, colon), signature: body.slice(colon + 2).trim() };
  }
  return { name: body };
}

export function summariseWorld(wit: string): WorldSummary {
  const summary: WorldSummary = { imports: [], exports: [], uses: [] };
  let depth = 0;
  let inWorld = false;
  for (const raw of wit.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('//')) continue;
    if (depth === 0 && /^world\s/.test(line)) {
      inWorld = true;
    } else if (inWorld && depth === 1) {
      if (line.startsWith('import ')) summary.imports.push(readItem(line.slice(7)));
      else if (line.startsWith('export ')) summary.exports.push(readItem(line.slice(7)));
      else if (line.startsWith('use ')) summary.uses.push(line.slice(4).replace(/;$/, ''));
    }
    for (const ch of line) {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
    }
    if (depth === 0) inWorld = false;
  }
  return summary;
}

/** "wasi:cli/stdout@0.2.3" -> { pkg: "wasi:cli", iface: "stdout", version: "0.2.3" }. */
export function splitInterfaceName(
  name: string,
): { pkg: string; iface: string; version: string | null } | null {
  const m = /^([a-z][a-z0-9-]*:[a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)(?:@([0-9A-Za-z.+-]+))?$/.exec(name);
  if (!m) return null;
  return { pkg: m[1] as string, iface: m[2] as string, version: m[3] ?? null };
}
