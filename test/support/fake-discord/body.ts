// Request bodies: JSON, or multipart/form-data with `payload_json` plus `files[n]` parts (how
// discord.js sends anything with a file). Node's own Fetch Response parses multipart, so no
// parser dependency is needed.
import type { IncomingMessage } from 'node:http';
import { invalidFormBody } from './errors.js';
import type { Json, UploadedFile } from './store.js';

export interface ParsedBody {
  json: Json | undefined;
  files: UploadedFile[];
  /** The raw body size in bytes (for upload-limit checks and logs). */
  size: number;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw invalidFormBody([
      { path: '_', code: 'MODEL_TYPE_CONVERT', message: 'Could not interpret body as JSON' },
    ]);
  }
}

export async function parseBody(req: IncomingMessage): Promise<ParsedBody> {
  const raw = await readAll(req);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { json: undefined, files: [], size: 0 };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: UploadedFile[] = [];
    let json: Json | undefined;
    for (const [field, value] of form) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = parseJson(value);
        continue;
      }
      files.push({
        field,
        filename: value.name,
        contentType: value.type || 'application/octet-stream',
        bytes: Buffer.from(await value.arrayBuffer()),
      });
    }
    return { json, files, size: raw.length };
  }
  return { json: parseJson(raw.toString('utf8')), files: [], size: raw.length };
}
