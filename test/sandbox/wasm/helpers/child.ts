import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Child node processes for what must run under other V8 flags (tiers, extended-const, stack
 * size). Children are plain node, so the metering sources are transpiled once per test file
 * into a temporary directory they can import.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
let built: string | undefined;

/** Path of the transpiled `src/sandbox/wasm/index.js`, for `import` in child scripts. */
export function meteringModulePath(): string {
  if (built) return built;
  const out = mkdtempSync(join(tmpdir(), 'throwdown-meter-'));
  const files = [
    ...readdirSync(join(root, 'src/sandbox/wasm'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `src/sandbox/wasm/${f}`),
    'src/sandbox/limits.ts',
    'src/util/result.ts',
  ];
  for (const f of files) {
    const js = ts.transpileModule(readFileSync(join(root, f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const dest = join(out, f.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, js);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  built = join(out, 'src/sandbox/wasm/index.js');
  return built;
}

/** Removes the transpiled copy (call from afterAll in files that used meteringModulePath). */
export function removeMeteringModule(): void {
  if (!built) return;
  rmSync(resolve(built, '../../../..'), { recursive: true, force: true });
  built = undefined;
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an ES module script in `node <flags>`, feeding `input` as JSON on stdin. */
export function runNode(flags: string[], script: string, input: unknown = null): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', script], {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: root,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(JSON.stringify(input));
  });
}

/** Runs a script whose last stdout line is JSON, and parses it. */
export async function runNodeJson<T>(flags: string[], script: string, input: unknown = null): Promise<T> {
  const res = await runNode(flags, script, input);
  const lines = res.stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`child (${flags.join(' ')}) exited ${res.code}: ${res.stdout}\n${res.stderr}`);
  }
}

/** Reads stdin as JSON inside a child script. */
export const READ_INPUT = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
`;

export const toBase64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** The V8 tiers metering must agree across. */
export const TIERS: Record<string, string[]> = {
  liftoff: ['--liftoff', '--no-wasm-tier-up'],
  turbofan: ['--no-liftoff'],
  default: [],
};
