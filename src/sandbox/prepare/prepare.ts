import { err, ok, type Result } from '../../util/result.js';
import { readComponentLayout } from '../component/layout.js';
import { findLiftedExport } from '../component/lifted-export.js';
import { summariseWorld } from '../component/world-text.js';
import type { BotReport, Rejection, RejectionCode } from '../types.js';
import {
  ARTIFACT_FORMAT,
  type ArtifactManifest,
  artifactDir,
  artifactKey,
  type BakedLimits,
  type DirectCall,
  readManifest,
  sha256Hex,
  writeArtifact,
} from './artifact.js';
import {
  type CoreExport,
  type CoreImport,
  checkCommandExports,
  checkCommandImports,
} from './check-command.js';
import { checkComponentWorld } from './check-component.js';
import { classifyUpload } from './classify.js';

/** The tools prepare needs, passed in so the pipeline can be tested without a worker process. */
export interface PrepareTools {
  /** Identifies the transpiler and metering versions; part of the artifact key. */
  toolchain: string;
  describe(bytes: Uint8Array): Result<
    {
      imports: CoreImport[];
      exports: CoreExport[];
      memories: Array<{ minPages: number; maxPages: number | undefined }>;
    },
    { message: string }
  >;
  instrument(
    bytes: Uint8Array,
    baked: BakedLimits,
    context: 'command' | 'component',
  ): Result<MeteredModule, { code: string; message: string }>;
  componentWit(bytes: Uint8Array): Promise<string>;
  transpile(bytes: Uint8Array): Promise<{ files: Record<string, Uint8Array> }>;
}

export interface MeteredModule {
  bytes: Uint8Array;
  /** Function indices whose traps mean out-of-fuel / stack-exhausted (for traps during instantiation). */
  fuelTrapFunction: number;
  stackTrapFunction: number;
}

export interface PrepareInput {
  bytes: Uint8Array;
  maxModuleBytes: number;
  baked: BakedLimits;
  artifactsDir: string;
}

export interface Prepared {
  manifest: ArtifactManifest;
  dir: string;
}

const METER_CODES: Record<string, RejectionCode> = {
  'memory-too-large': 'memory-too-large',
  'table-too-large': 'table-too-large',
  malformed: 'malformed',
};

function meterRejection(problem: { code: string; message: string }, where?: string): Rejection {
  return {
    code: METER_CODES[problem.code] ?? 'unsupported-feature',
    message: where ? `${where}: ${problem.message}` : problem.message,
  };
}

async function compiles(bytes: Uint8Array): Promise<string | null> {
  try {
    await WebAssembly.compile(bytes);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * From uploaded bytes to a playable artifact: classify, check imports and exports against what
 * the host provides, meter every core module, transpile components with jco, and store the
 * result by key. Runs in a prepare worker; never executes the bot.
 */
export async function prepareBot(
  input: PrepareInput,
  tools: PrepareTools,
): Promise<Result<Prepared, Rejection>> {
  const kind = classifyUpload(input.bytes, input.maxModuleBytes);
  if (!kind.ok) return kind;
  const sha256 = sha256Hex(input.bytes);
  const key = artifactKey(sha256, input.baked, tools.toolchain);
  const dir = artifactDir(input.artifactsDir, key);
  const existing = await readManifest(dir);
  if (existing) return ok({ manifest: existing, dir });

  const built =
    kind.value === 'module'
      ? await prepareCommand(input, sha256, key, tools)
      : await prepareComponent(input, sha256, key, tools);
  if (!built.ok) return built;
  const finalDir = await writeArtifact(input.artifactsDir, built.value.manifest, built.value.files);
  return ok({ manifest: built.value.manifest, dir: finalDir });
}

type Built = { manifest: ArtifactManifest; files: Record<string, Uint8Array | string> };

async function prepareCommand(
  input: PrepareInput,
  sha256: string,
  key: string,
  tools: PrepareTools,
): Promise<Result<Built, Rejection>> {
  const described = tools.describe(input.bytes);
  if (!described.ok)
    return err({
      code: 'malformed',
      message: `The module is not valid WebAssembly: ${described.error.message}`,
    });
  const { imports, exports, memories } = described.value;
  const importProblem = checkCommandImports(imports);
  if (importProblem) return err(importProblem);
  // Metering validates the whole module, so a malformed body is reported as such before the
  // export check (which only read the header sections) can misdescribe it.
  const metered = tools.instrument(input.bytes, input.baked, 'command');
  if (!metered.ok) return err(meterRejection(metered.error));
  const exportProblem = checkCommandExports(exports);
  if (exportProblem) return err(exportProblem);
  const compileError = await compiles(metered.value.bytes);
  if (compileError)
    return err({ code: 'malformed', message: `The module does not compile: ${compileError}` });
  const report: BotReport = {
    kind: 'command',
    sha256,
    size: input.bytes.length,
    imports: imports.map((i) => `${i.module}.${i.name}`),
    exports: exports.map((e) => e.name),
    notes: [],
  };
  return ok({
    manifest: {
      format: ARTIFACT_FORMAT,
      key,
      kind: 'command',
      report,
      modules: ['bot.wasm'],
      traps: { 'bot.wasm': trapsOf(metered.value) },
      ...(memories[0]
        ? {
            memory: {
              minPages: memories[0].minPages,
              maxPages: Math.min(memories[0].maxPages ?? input.baked.memoryPages, input.baked.memoryPages),
            },
          }
        : {}),
    },
    files: { 'bot.wasm': metered.value.bytes },
  });
}

async function prepareComponent(
  input: PrepareInput,
  sha256: string,
  key: string,
  tools: PrepareTools,
): Promise<Result<Built, Rejection>> {
  let wit: string;
  try {
    wit = await tools.componentWit(input.bytes);
  } catch (error) {
    return err({ code: 'malformed', message: `The component could not be read: ${firstLine(error)}` });
  }
  const world = summariseWorld(wit);
  const problem = checkComponentWorld(world);
  if (problem) return err(problem);

  let transpiled: { files: Record<string, Uint8Array> };
  try {
    transpiled = await tools.transpile(input.bytes);
  } catch (error) {
    return err({
      code: 'malformed',
      message: `The component could not be translated to run here: ${firstLine(error)}`,
    });
  }
  const glue = Object.entries(transpiled.files).find(([name]) => name.endsWith('.js'));
  if (!glue) throw new Error('jco produced no JavaScript');
  const moduleNames = Object.keys(transpiled.files).filter((n) => n.endsWith('.wasm'));
  const files: Record<string, Uint8Array | string> = { 'glue.mjs': glue[1] };
  const traps: ArtifactManifest['traps'] = {};
  for (const [i, name] of moduleNames.entries()) {
    const original = transpiled.files[name] as Uint8Array;
    const metered = tools.instrument(original, input.baked, 'component');
    if (!metered.ok) {
      return err(
        meterRejection(
          metered.error,
          moduleNames.length > 1 ? `In core module ${i + 1} of ${moduleNames.length}` : undefined,
        ),
      );
    }
    const compileError = await compiles(metered.value.bytes);
    if (compileError)
      return err({ code: 'malformed', message: `A core module does not compile: ${compileError}` });
    files[name] = metered.value.bytes;
    traps[name] = trapsOf(metered.value);
  }

  const direct = findDirectCall(input.bytes, moduleNames, transpiled.files);
  const extra = world.exports.filter((e) => e.name !== 'play').map((e) => e.name);
  const report: BotReport = {
    kind: 'component',
    sha256,
    size: input.bytes.length,
    imports: world.imports.map((i) => i.name),
    exports: world.exports.map((e) => e.name),
    callPath: direct ? 'direct' : 'bindings',
    notes: extra.length ? [`Exports ${extra.join(', ')} besides play; Throwdown never calls them.`] : [],
  };
  return ok({
    manifest: {
      format: ARTIFACT_FORMAT,
      key,
      kind: 'component',
      report,
      modules: moduleNames,
      traps,
      glue: 'glue.mjs',
      direct,
    },
    files,
  });
}

/** Maps the lifted `play` to the jco module file holding it, matching core modules by content. */
function findDirectCall(
  component: Uint8Array,
  moduleNames: string[],
  files: Record<string, Uint8Array>,
): DirectCall | null {
  let layout: ReturnType<typeof readComponentLayout>;
  try {
    layout = readComponentLayout(component);
  } catch {
    return null;
  }
  const lifted = findLiftedExport(layout, 'play');
  if (!lifted) return null;
  const byHash = new Map<string, string>();
  for (const name of moduleNames) byHash.set(sha256Hex(files[name] as Uint8Array), name);
  const fileOf = (moduleIndex: number): string | null => {
    const range = layout.coreModules[moduleIndex];
    if (!range) return null;
    return byHash.get(sha256Hex(component.subarray(range.start, range.end))) ?? null;
  };
  const module = fileOf(lifted.func.module);
  if (!module) return null;
  let postReturn: DirectCall['postReturn'] = null;
  if (lifted.postReturn) {
    const prModule = fileOf(lifted.postReturn.module);
    if (!prModule) return null;
    postReturn = { module: prModule, export: lifted.postReturn.name };
  }
  return { module, export: lifted.func.name, postReturn };
}

function trapsOf(m: MeteredModule) {
  return { fuelTrapFunction: m.fuelTrapFunction, stackTrapFunction: m.stackTrapFunction };
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split('\n')
    .filter(Boolean)
    .slice(0, 2)
    .join(': ');
}
