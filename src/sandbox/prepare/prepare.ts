import { err, ok, type Result } from '../../util/result.js';
import { type DirectPlan, planDirect } from '../component/plan.js';
import { type ComponentInfo, ComponentRefusal, readComponent } from '../component/reader.js';
import { stripCustomSections } from '../component/strip.js';
import { summariseWorld } from '../component/world-text.js';
import { directModuleFile } from '../play/component-player.js';
import { hostShape } from '../play/host-imports.js';
import type { BotReport, Rejection, RejectionCode } from '../types.js';
import {
  ARTIFACT_FORMAT,
  type ArtifactManifest,
  artifactDir,
  artifactKey,
  type BakedLimits,
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
import { checkHostImports } from './check-host-imports.js';
import { classifyUpload, formatSize } from './classify.js';
import { toGlueScript } from './glue-script.js';

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
    /** Import the counters shared by all core modules of the bot (components of several modules). */
    sharedCounters?: boolean,
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
  /**
   * 'bindings' wires even a flat component through jco's bindings (tests and the benchmark
   * compare the two paths); the artifact is kept under its own key. Default: the direct path
   * whenever the component allows it.
   */
  wiring?: 'auto' | 'bindings';
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
  const key = artifactKey(
    sha256,
    input.baked,
    input.wiring === 'bindings' ? `${tools.toolchain};bindings` : tools.toolchain,
  );
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

/** The most JavaScript jco may generate for one bot; real bindings are 0.1-0.3 MB. */
export const MAX_GLUE_BYTES = 4 * 1024 * 1024;

const REFUSAL_CODES: Record<ComponentRefusal['code'], RejectionCode> = {
  malformed: 'malformed',
  'bad-name': 'bad-name',
  'too-complex': 'too-complex',
  'unsupported-feature': 'unsupported-feature',
};

async function prepareComponent(
  input: PrepareInput,
  sha256: string,
  key: string,
  tools: PrepareTools,
): Promise<Result<Built, Rejection>> {
  // Our own reader first: every name and type is checked before any tool prints or translates them.
  let info: ComponentInfo;
  try {
    info = readComponent(input.bytes);
  } catch (error) {
    if (error instanceof ComponentRefusal)
      return err({ code: REFUSAL_CODES[error.code], message: error.message });
    throw error;
  }
  let wit: string;
  try {
    wit = await tools.componentWit(input.bytes);
  } catch (error) {
    return err({ code: 'malformed', message: `The component could not be read: ${firstLine(error)}` });
  }
  const world = summariseWorld(wit);
  const problem = checkComponentWorld(world) ?? checkHostImports(info.root, hostShape());
  if (problem) return err(problem);

  const plan = input.wiring === 'bindings' ? err('bindings were asked for') : planDirect(info.root);
  const extra = world.exports.filter((e) => e.name !== 'play').map((e) => e.name);
  const wired = plan.ok
    ? await directModules(input, info, plan.value, tools)
    : await boundModules(input, info, tools);
  if (!wired.ok) return wired;
  const report: BotReport = {
    kind: 'component',
    sha256,
    size: input.bytes.length,
    imports: world.imports.map((i) => i.name),
    exports: world.exports.map((e) => e.name),
    callPath: plan.ok ? 'direct' : 'bindings',
    notes: [
      ...(extra.length ? [`Exports ${extra.join(', ')} besides play; Throwdown never calls them.`] : []),
      ...(plan.ok ? [] : [`Runs through generated bindings: ${plan.error}.`]),
    ],
  };
  return ok({
    manifest: {
      format: ARTIFACT_FORMAT,
      key,
      kind: 'component',
      report,
      modules: Object.keys(wired.value.traps),
      traps: wired.value.traps,
      ...(plan.ok ? { plan: plan.value } : { glue: GLUE_FILE }),
    },
    files: wired.value.files,
  });
}

const GLUE_FILE = 'glue.js';

type Wired = {
  files: Record<string, Uint8Array | string>;
  traps: ArtifactManifest['traps'];
};

/** Meters one core module and checks that V8 compiles the result. */
async function meterModule(
  bytes: Uint8Array,
  input: PrepareInput,
  tools: PrepareTools,
  where: string | undefined,
  sharedCounters: boolean,
): Promise<Result<MeteredModule, Rejection>> {
  const metered = tools.instrument(bytes, input.baked, 'component', sharedCounters);
  if (!metered.ok) return err(meterRejection(metered.error, where));
  const compileError = await compiles(metered.value.bytes);
  if (compileError)
    return err({ code: 'malformed', message: `A core module does not compile: ${compileError}` });
  return metered;
}

/** Direct path: each core module of the component, cut out by its index, metered. */
async function directModules(
  input: PrepareInput,
  info: ComponentInfo,
  plan: DirectPlan,
  tools: PrepareTools,
): Promise<Result<Wired, Rejection>> {
  const files: Wired['files'] = {};
  const traps: Wired['traps'] = {};
  for (let i = 0; i < plan.modules; i++) {
    const def = info.root.coreModules[i];
    if (def?.kind !== 'defined') throw new Error(`core module ${i} is not defined in the component`);
    const where = plan.modules > 1 ? `In core module ${i + 1} of ${plan.modules}` : undefined;
    const metered = await meterModule(
      input.bytes.subarray(def.start, def.end),
      input,
      tools,
      where,
      plan.modules > 1,
    );
    if (!metered.ok) return metered;
    files[directModuleFile(i)] = metered.value.bytes;
    traps[directModuleFile(i)] = trapsOf(metered.value);
  }
  return ok({ files, traps });
}

/**
 * Bindings path: jco translates the component (custom sections stripped, so only checked names
 * reach it), its module output becomes a script for a realm of its own, and its core modules
 * are metered.
 */
async function boundModules(
  input: PrepareInput,
  info: ComponentInfo,
  tools: PrepareTools,
): Promise<Result<Wired, Rejection>> {
  let transpiled: { files: Record<string, Uint8Array> };
  try {
    transpiled = await tools.transpile(stripCustomSections(input.bytes, info.root));
  } catch (error) {
    return err({
      code: 'malformed',
      message: `The component could not be translated to run here: ${firstLine(error)}`,
    });
  }
  const glue = Object.entries(transpiled.files).find(([name]) => name.endsWith('.js'));
  if (!glue) throw new Error('jco produced no JavaScript');
  if (glue[1].length > MAX_GLUE_BYTES) {
    return err({
      code: 'too-complex',
      message: `Its generated bindings would be ${formatSize(glue[1].length)}, more than the ${formatSize(MAX_GLUE_BYTES)} allowed.`,
    });
  }
  const script = toGlueScript(new TextDecoder().decode(glue[1]));
  if (script === null) throw new Error('jco produced bindings of an unexpected shape');
  const moduleNames = Object.keys(transpiled.files).filter((n) => n.endsWith('.wasm'));
  const files: Wired['files'] = { [GLUE_FILE]: script };
  const traps: Wired['traps'] = {};
  for (const [i, name] of moduleNames.entries()) {
    const where = moduleNames.length > 1 ? `In core module ${i + 1} of ${moduleNames.length}` : undefined;
    const metered = await meterModule(
      transpiled.files[name] as Uint8Array,
      input,
      tools,
      where,
      moduleNames.length > 1,
    );
    if (!metered.ok) return metered;
    files[name] = metered.value.bytes;
    traps[name] = trapsOf(metered.value);
  }
  return ok({ files, traps });
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
