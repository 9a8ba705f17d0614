import { BinaryError, ByteReader } from './bytes.js';
import { readCanon } from './canon.js';
import { readCoreModuleNames } from './core-module.js';
import { skipCoreType } from './core-types.js';
import { nameProblem, showName } from './names.js';
import {
  COMPONENT_PREAMBLE,
  CORE,
  CORE_FUNC,
  CORE_GLOBAL,
  CORE_INSTANCE,
  CORE_MEMORY,
  CORE_MODULE,
  CORE_TABLE,
  CORE_TAG,
  CORE_TYPE,
  type ComponentScope,
  type CoreItemDef,
  type FuncDef,
  type InstanceDef,
  newScope,
  SORT_COMPONENT,
  SORT_FUNC,
  SORT_INSTANCE,
  SORT_TYPE,
  SORT_VALUE,
  sortName,
} from './scope.js';
import {
  type ComponentType,
  costOf,
  depthOf,
  type Extern,
  type FuncType,
  type InstanceType,
  isValType,
  measured,
  PRIMS,
  prim,
  type Resource,
  type TypeDef,
  type ValType,
} from './types.js';

/**
 * Reads a whole component binary, every nesting level included, the way an upload must be read
 * before anything generates code from it:
 *
 * - every name (component and core imports and exports, instance and alias names, instantiate
 *   arguments, type labels, names inside nested components and core modules) is checked against
 *   the grammar in names.ts;
 * - every type is resolved and measured, and refused when it is too large or deep;
 * - the index spaces of each component are recorded, so the direct path (plan.ts) can wire a flat
 *   component's core instances by index, never by content.
 *
 * Anything this reader does not understand is refused: it is the gate in front of code
 * generation, so it fails closed.
 */
export class ComponentRefusal extends Error {
  override readonly name = 'ComponentRefusal';
  constructor(
    readonly code: 'malformed' | 'bad-name' | 'too-complex' | 'unsupported-feature',
    message: string,
  ) {
    super(message);
  }
}

export interface ReaderLimits {
  /** Largest expanded size of any one type (nodes; see types.ts). */
  maxTypeCost: number;
  maxTypeDepth: number;
  /** Components nested inside components. */
  maxNesting: number;
  /** Canonical definitions (lifts, lowers, resource functions) in all components together. */
  maxCanon: number;
  /**
   * The types of every function lifted, lowered or exported, added up: what a bindings generator
   * writes code for. Each type alone may be within maxTypeCost; this bounds the total.
   */
  maxFunctionCost: number;
  /** Core instances in all components together. */
  maxCoreInstances: number;
  /** Core modules in all components together. */
  maxCoreModules: number;
}

/**
 * Measured on real toolchains (docs/security.md): a component made with the WASI preview1 adapter
 * has 4 core modules, 21 core instances, 24 canonical definitions, types of cost <= 367 (depth 7)
 * adding up to 378 over its functions; a componentize-qjs bot 11 modules, 50 instances, 92
 * definitions, types <= 430 adding up to 1,400. jco writes ~80 bytes of JavaScript per unit of
 * function cost (a cost of 8,191 gave 657 KB in 0.8 s), so the caps bound its output to ~2 MB.
 */
export const DEFAULT_READER_LIMITS: ReaderLimits = {
  maxTypeCost: 10_000,
  maxTypeDepth: 32,
  maxNesting: 4,
  maxCanon: 2_000,
  maxFunctionCost: 25_000,
  maxCoreInstances: 1_000,
  maxCoreModules: 100,
};

export interface ComponentInfo {
  root: ComponentScope;
  coreModules: number;
  coreInstances: number;
  canon: number;
  /** The types of all lifted, lowered and exported functions, added up. */
  functionCost: number;
  /** Largest type cost and depth seen. */
  maxTypeCost: number;
  maxTypeDepth: number;
  nestedComponents: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const OPAQUE: ValType = measured({ k: 'unsupported', what: 'a type this reader keeps opaque' });

/** Reads and checks a component; throws ComponentRefusal with a message for the bot's author. */
export function readComponent(
  bytes: Uint8Array,
  limits: ReaderLimits = DEFAULT_READER_LIMITS,
  /** Sees every name the reader checks, with where it sits (tests and diagnostics). */
  observe?: (name: string, where: string) => void,
): ComponentInfo {
  const reader = new Reader(bytes, limits, observe);
  try {
    const root = reader.component(0, bytes.length, null, 'the component', 0);
    return {
      root,
      coreModules: reader.coreModules,
      coreInstances: reader.coreInstances,
      canon: reader.canon,
      functionCost: reader.functionCost,
      maxTypeCost: reader.maxCost,
      maxTypeDepth: reader.maxDepth,
      nestedComponents: reader.nestedComponents,
    };
  } catch (error) {
    if (error instanceof BinaryError) {
      throw new ComponentRefusal('malformed', `The component is malformed: ${error.message}.`);
    }
    throw error;
  }
}

class Reader {
  coreModules = 0;
  coreInstances = 0;
  canon = 0;
  functionCost = 0;
  maxCost = 0;
  maxDepth = 0;
  nestedComponents = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly limits: ReaderLimits,
    readonly observe?: (name: string, where: string) => void,
  ) {}

  // --- names -----------------------------------------------------------------------------

  /** Reads a name and refuses it unless it is valid UTF-8 inside the grammar. */
  name(r: ByteReader, where: () => string): string {
    const len = r.u32();
    const start = r.pos;
    r.skip(len);
    let name: string;
    try {
      name = utf8.decode(this.bytes.subarray(start, start + len));
    } catch {
      throw new ComponentRefusal(
        'bad-name',
        `It contains a name that is not valid UTF-8 text (${where()}). Names in a component must be text.`,
      );
    }
    this.check(name, where);
    return name;
  }

  /** A custom section's name: any text (its contents are never read), but text it must be. */
  customName(r: ByteReader, where: string): void {
    const len = r.u32();
    const start = r.pos;
    r.skip(len);
    try {
      utf8.decode(this.bytes.subarray(start, start + len));
    } catch {
      throw new ComponentRefusal(
        'malformed',
        `A custom section of ${where} has a name that is not valid UTF-8 text, which WebAssembly does not allow.`,
      );
    }
    r.pos = r.end;
  }

  check(name: string, where: () => string): void {
    this.observe?.(name, where());
    const problem = nameProblem(name);
    if (problem) {
      throw new ComponentRefusal(
        'bad-name',
        `It contains a name Throwdown does not accept: ${where()} is ${showName(name)}, which ${problem}. ` +
          'Names may use only ASCII letters, digits and - _ . : / @ [ ] $ | # +, at most 1024 characters: ' +
          'compilers produce nothing else, so this file was made by hand or damaged.',
      );
    }
  }

  /** nameattributes: a name (0x00 / 0x01) or a name with attributes (0x02). */
  externName(r: ByteReader, where: () => string): string {
    const tag = r.byte();
    const name = this.name(r, where);
    if (tag === 0x00 || tag === 0x01) return name;
    if (tag !== 0x02) throw new BinaryError(`unknown name encoding 0x${tag.toString(16)}`, r.pos);
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const kind = r.byte();
      if (kind > 0x02) throw new BinaryError(`unknown name attribute 0x${kind.toString(16)}`, r.pos - 1);
      this.name(r, () => `an attribute of ${where()}`);
    }
    return name;
  }

  // --- types -------------------------------------------------------------------------------

  measure<T extends TypeDef>(t: T, where: () => string): T {
    measured(t);
    const cost = costOf(t);
    const depth = depthOf(t);
    this.maxCost = Math.max(this.maxCost, cost);
    this.maxDepth = Math.max(this.maxDepth, depth);
    if (cost > this.limits.maxTypeCost || depth > this.limits.maxTypeDepth) {
      throw new ComponentRefusal(
        'too-complex',
        `Its ${where()} is too large: it expands to ${cost >= 1e12 ? 'more than a trillion' : cost.toLocaleString('en')} parts nested ${depth} deep (at most ${this.limits.maxTypeCost.toLocaleString('en')} parts, ${this.limits.maxTypeDepth} deep). ` +
          'No bot interface needs types like this.',
      );
    }
    return t;
  }

  valType(r: ByteReader, scope: ComponentScope): ValType {
    const at = r.pos;
    const v = r.s33();
    if (v >= 0) {
      const t = scope.types[v];
      if (t === undefined) throw new BinaryError(`type index ${v} is not defined`, at);
      if (!isValType(t)) throw new BinaryError(`type ${v} is not a value type`, at);
      return t;
    }
    const code = v + 0x80;
    const p = PRIMS[code];
    if (p) return prim(p);
    if (code === 0x64) return measured({ k: 'unsupported', what: 'error-context' });
    throw new BinaryError(`unknown value type ${v}`, at);
  }

  optionalValType(r: ByteReader, scope: ComponentScope): ValType | null {
    const b = r.byte();
    if (b === 0x00) return null;
    if (b !== 0x01) throw new BinaryError('bad optional type', r.pos - 1);
    return this.valType(r, scope);
  }

  resourceAt(r: ByteReader, scope: ComponentScope): Resource {
    const at = r.pos;
    const i = r.u32();
    const t = scope.types[i];
    if (t?.k !== 'resource') throw new BinaryError(`type ${i} is not a resource`, at);
    return t;
  }

  labels(r: ByteReader, what: string, where: () => string): string[] {
    const count = r.u32();
    const names: string[] = [];
    for (let i = 0; i < count; i++) names.push(this.name(r, () => `${what} ${i} of ${where()}`));
    return names;
  }

  defType(r: ByteReader, scope: ComponentScope, where: () => string): TypeDef {
    const b = r.byte();
    switch (b) {
      case 0x40:
      case 0x43:
        return this.measure(this.funcType(r, scope, b === 0x43, where), where);
      case 0x41:
        return this.measure(this.componentType(r, scope, where), where);
      case 0x42:
        return this.measure(this.instanceType(r, scope, where), where);
      case 0x3f: {
        if (r.byte() !== 0x7f) throw new BinaryError('resource representation must be i32', r.pos - 1);
        const hasDtor = r.byte();
        if (hasDtor === 0x01) r.u32();
        else if (hasDtor !== 0x00) throw new BinaryError('bad resource destructor', r.pos - 1);
        return this.measure({ k: 'resource', name: '', iface: null, local: true } satisfies Resource, where);
      }
      case 0x3e: {
        if (r.byte() !== 0x7f) throw new BinaryError('resource representation must be i32', r.pos - 1);
        r.u32();
        const hasCallback = r.byte();
        if (hasCallback === 0x01) r.u32();
        return this.measure({ k: 'resource', name: '', iface: null, local: true } satisfies Resource, where);
      }
      default:
        return this.measure(this.defValType(r, scope, b, where), where);
    }
  }

  defValType(r: ByteReader, scope: ComponentScope, b: number, where: () => string): ValType {
    const p = PRIMS[b];
    if (p) return prim(p);
    switch (b) {
      case 0x64:
        return { k: 'unsupported', what: 'error-context' };
      case 0x72: {
        const count = r.u32();
        const fields: Array<{ name: string; type: ValType }> = [];
        for (let i = 0; i < count; i++) {
          const name = this.name(r, () => `record field ${i} of ${where()}`);
          fields.push({ name, type: this.valType(r, scope) });
        }
        return { k: 'record', fields };
      }
      case 0x71: {
        const count = r.u32();
        const cases: Array<{ name: string; type: ValType | null }> = [];
        for (let i = 0; i < count; i++) {
          const name = this.name(r, () => `variant case ${i} of ${where()}`);
          const type = this.optionalValType(r, scope);
          const refines = r.byte();
          if (refines === 0x01) r.u32();
          else if (refines !== 0x00) throw new BinaryError('bad variant case', r.pos - 1);
          cases.push({ name, type });
        }
        return { k: 'variant', cases };
      }
      case 0x70:
        return { k: 'list', elem: this.valType(r, scope) };
      case 0x67:
        this.valType(r, scope);
        r.u32();
        return { k: 'unsupported', what: 'a fixed-length list' };
      case 0x6f: {
        const count = r.u32();
        const types: ValType[] = [];
        for (let i = 0; i < count; i++) types.push(this.valType(r, scope));
        return { k: 'tuple', types };
      }
      case 0x6e:
        return { k: 'flags', names: this.labels(r, 'flag', where) };
      case 0x6d:
        return { k: 'enum', names: this.labels(r, 'enum case', where) };
      case 0x6b:
        return { k: 'option', type: this.valType(r, scope) };
      case 0x6a: {
        const ok = this.optionalValType(r, scope);
        const err = this.optionalValType(r, scope);
        return { k: 'result', ok, err };
      }
      case 0x69:
        return { k: 'own', resource: this.resourceAt(r, scope) };
      case 0x68:
        return { k: 'borrow', resource: this.resourceAt(r, scope) };
      case 0x66:
      case 0x65:
        this.optionalValType(r, scope);
        return { k: 'unsupported', what: b === 0x66 ? 'stream' : 'future' };
      case 0x63:
        this.valType(r, scope);
        this.valType(r, scope);
        return { k: 'unsupported', what: 'map' };
      default:
        throw new BinaryError(`unknown type form 0x${b.toString(16)}`, r.pos - 1);
    }
  }

  funcType(r: ByteReader, scope: ComponentScope, isAsync: boolean, where: () => string): FuncType {
    const count = r.u32();
    const params: FuncType['params'] = [];
    for (let i = 0; i < count; i++) {
      const name = this.name(r, () => `parameter ${i} of ${where()}`);
      params.push({ name, type: this.valType(r, scope) });
    }
    let result: ValType | null = null;
    const tag = r.byte();
    if (tag === 0x00) result = this.valType(r, scope);
    else if (tag === 0x01) {
      if (r.u32() !== 0) throw new BinaryError('named function results are not supported', r.pos - 1);
    } else throw new BinaryError('bad function result', r.pos - 1);
    return { k: 'func', params, result, async: isAsync };
  }

  instanceType(r: ByteReader, parent: ComponentScope, where: () => string): InstanceType {
    const scope = newScope(parent, 'instance-type', `${where()}`);
    const type: InstanceType = { k: 'instance', exports: new Map(), abstract: new Map() };
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const tag = r.byte();
      this.declarator(r, scope, tag, type.exports, type.abstract, () => `declaration ${i} of ${where()}`);
    }
    return type;
  }

  componentType(r: ByteReader, parent: ComponentScope, where: () => string): ComponentType {
    const scope = newScope(parent, 'component-type', `${where()}`);
    const type: ComponentType = { k: 'component', exports: new Map() };
    const abstract = new Map<string, Resource>();
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const tag = r.byte();
      const at = () => `declaration ${i} of ${where()}`;
      if (tag === 0x03) {
        const name = this.externName(r, () => `the name of import ${at()}`);
        const extern = this.externType(r, scope, name, abstract);
        this.define(scope, extern);
      } else {
        this.declarator(r, scope, tag, type.exports, abstract, at);
      }
    }
    return type;
  }

  /** instancedecl: core type, type, alias or export declarator. */
  declarator(
    r: ByteReader,
    scope: ComponentScope,
    tag: number,
    exports: Map<string, Extern>,
    abstract: Map<string, Resource>,
    where: () => string,
  ): void {
    switch (tag) {
      case 0x00:
        this.coreType(r, where);
        scope.coreTypes++;
        return;
      case 0x01:
        scope.types.push(this.defType(r, scope, where));
        return;
      case 0x02:
        this.alias(r, scope, where);
        return;
      case 0x04: {
        const name = this.externName(r, () => `the name of export ${where()}`);
        const extern = this.externType(r, scope, name, abstract);
        exports.set(name, extern);
        this.define(scope, extern);
        return;
      }
      default:
        throw new BinaryError(`unknown declarator 0x${tag.toString(16)}`, r.pos - 1);
    }
  }

  externType(
    r: ByteReader,
    scope: ComponentScope,
    name: string,
    abstract: Map<string, Resource> | null,
  ): Extern {
    const tag = r.byte();
    switch (tag) {
      case 0x00: {
        if (r.byte() !== 0x11) throw new BinaryError('bad core extern type', r.pos - 1);
        r.u32();
        return { sort: 'core-module' };
      }
      case 0x01: {
        const at = r.pos;
        const t = scope.types[r.u32()];
        if (t?.k !== 'func') throw new BinaryError('function import or export of a non-function type', at);
        return { sort: 'func', type: t };
      }
      case 0x02: {
        const bound = r.byte();
        if (bound === 0x00) r.u32();
        else this.valType(r, scope);
        return { sort: 'value' };
      }
      case 0x03: {
        const bound = r.byte();
        if (bound === 0x00) {
          const at = r.pos;
          const t = scope.types[r.u32()];
          if (!t) throw new BinaryError('type bound to an undefined type', at);
          return { sort: 'type', type: t };
        }
        if (bound !== 0x01) throw new BinaryError('unknown type bound', r.pos - 1);
        const resource: Resource = measured({ k: 'resource', name, iface: null, local: false });
        abstract?.set(name, resource);
        return { sort: 'type', type: resource };
      }
      case 0x04:
        r.u32();
        return { sort: 'component' };
      case 0x05: {
        const at = r.pos;
        const t = scope.types[r.u32()];
        if (t?.k !== 'instance')
          throw new BinaryError('instance import or export of a non-instance type', at);
        return { sort: 'instance', type: t };
      }
      default:
        throw new BinaryError(`unknown extern type 0x${tag.toString(16)}`, r.pos - 1);
    }
  }

  /** Adds an imported or exported item of `extern`'s sort to the scope's index spaces. */
  define(scope: ComponentScope, extern: Extern, def?: Partial<FuncDef> & Partial<InstanceDef>): void {
    switch (extern.sort) {
      case 'func':
        scope.funcs.push({ kind: 'other', ...def, type: extern.type } as FuncDef);
        return;
      case 'type':
        scope.types.push(extern.type);
        return;
      case 'instance':
        scope.instances.push({ kind: 'other', ...def, type: extern.type } as InstanceDef);
        return;
      case 'component':
        scope.components.push(null);
        return;
      case 'core-module':
        scope.coreModules.push({ kind: 'other' });
        return;
      case 'value':
        scope.values++;
        return;
    }
  }

  coreType(r: ByteReader, where: () => string): void {
    skipCoreType(r, (nr, what) => this.name(nr, what), where);
  }

  // --- definitions --------------------------------------------------------------------------

  readSort(r: ByteReader): number {
    const b = r.byte();
    if (b === 0x00) {
      const core = r.byte();
      if (!(core <= 0x04 || core === 0x10 || core === 0x11 || core === 0x12))
        throw new BinaryError(`unknown core sort 0x${core.toString(16)}`, r.pos - 1);
      return CORE + core;
    }
    if (b >= 0x01 && b <= 0x05) return b;
    throw new BinaryError(`unknown sort 0x${b.toString(16)}`, r.pos - 1);
  }

  coreSpace(scope: ComponentScope, sort: number): CoreItemDef[] | null {
    switch (sort) {
      case CORE_FUNC:
        return scope.coreFuncs;
      case CORE_TABLE:
        return scope.coreTables;
      case CORE_MEMORY:
        return scope.coreMemories;
      case CORE_GLOBAL:
        return scope.coreGlobals;
      case CORE_TAG:
        return scope.coreTags;
      default:
        return null;
    }
  }

  alias(r: ByteReader, scope: ComponentScope, where: () => string): void {
    const sort = this.readSort(r);
    const target = r.byte();
    if (target === 0x00) {
      const at = r.pos;
      const instance = r.u32();
      const name = this.name(r, () => `the name of an export alias in ${where()}`);
      const inst = scope.instances[instance];
      if (!inst) throw new BinaryError(`instance ${instance} is not defined`, at);
      const extern = inst.type?.exports.get(name);
      if (sort === SORT_FUNC) {
        scope.funcs.push({
          kind: 'alias',
          instance,
          name,
          type: extern?.sort === 'func' ? extern.type : null,
        });
      } else if (sort === SORT_TYPE) {
        scope.types.push(extern?.sort === 'type' ? extern.type : OPAQUE);
      } else if (sort === SORT_INSTANCE) {
        scope.instances.push({ kind: 'other', type: extern?.sort === 'instance' ? extern.type : null });
      } else if (sort === SORT_COMPONENT) {
        scope.components.push(null);
      } else if (sort === SORT_VALUE) {
        scope.values++;
      } else if (sort === CORE_MODULE) {
        scope.coreModules.push({ kind: 'other' });
      } else {
        throw new BinaryError(`export alias of a ${sortName(sort)}`, at);
      }
    } else if (target === 0x01) {
      const instance = r.u32();
      const name = this.name(r, () => `the name of a core export alias in ${where()}`);
      const space = this.coreSpace(scope, sort);
      if (space) space.push({ kind: 'alias', instance, name });
      else if (sort === CORE_MODULE) scope.coreModules.push({ kind: 'other' });
      else if (sort === CORE_INSTANCE) scope.coreInstances.push({ kind: 'other' });
      else if (sort === CORE_TYPE) scope.coreTypes++;
      else throw new BinaryError(`core export alias of a ${sortName(sort)}`, r.pos);
    } else if (target === 0x02) {
      const at = r.pos;
      const count = r.u32();
      const index = r.u32();
      let outer: ComponentScope | null = scope;
      for (let i = 0; i < count && outer; i++) outer = outer.parent;
      if (!outer) throw new BinaryError('outer alias past the outermost component', at);
      if (sort === SORT_TYPE) {
        const t = outer.types[index];
        if (!t) throw new BinaryError(`outer alias of undefined type ${index}`, at);
        scope.types.push(t);
      } else if (sort === CORE_TYPE) {
        scope.coreTypes++;
      } else if (sort === CORE_MODULE) {
        scope.coreModules.push({ kind: 'other' });
      } else if (sort === SORT_COMPONENT) {
        scope.components.push(outer.components[index] ?? null);
      } else {
        throw new BinaryError(`outer alias of a ${sortName(sort)}`, at);
      }
    } else {
      throw new BinaryError('unknown alias target', r.pos - 1);
    }
  }

  canonDef(r: ByteReader, scope: ComponentScope): void {
    readCanon(r, scope, this);
  }

  // --- components ---------------------------------------------------------------------------

  component(
    start: number,
    end: number,
    parent: ComponentScope | null,
    label: string,
    depth: number,
  ): ComponentScope {
    if (depth > this.limits.maxNesting) {
      throw new ComponentRefusal(
        'too-complex',
        `It nests components more than ${this.limits.maxNesting} deep; no toolchain needs that.`,
      );
    }
    const scope = newScope(parent, 'component', label);
    const r = new ByteReader(this.bytes, start, end);
    for (const b of COMPONENT_PREAMBLE) {
      if (r.byte() !== b)
        throw new BinaryError(`${label} does not start with the component header`, r.pos - 1);
    }
    const where = (what: string) => () => `${what} in ${label}`;
    while (!r.done) {
      const headerStart = r.pos;
      const id = r.byte();
      const size = r.u32();
      const bodyStart = r.pos;
      r.skip(size);
      scope.sections.push({ id, headerStart, start: bodyStart, end: bodyStart + size });
      const s = new ByteReader(this.bytes, bodyStart, bodyStart + size);
      switch (id) {
        case 0:
          // Custom sections: never read, stripped before anything generates code (strip.ts).
          this.customName(s, label);
          s.pos = s.end;
          break;
        case 1: {
          const index = scope.coreModules.length;
          this.coreModules++;
          if (this.coreModules > this.limits.maxCoreModules)
            this.tooMany('core modules', this.limits.maxCoreModules);
          readCoreModuleNames(
            this.bytes,
            bodyStart,
            bodyStart + size,
            (nr, what) => this.name(nr, () => `core module ${index} (${what()}) in ${label}`),
            (nr) => this.customName(nr, `core module ${index} in ${label}`),
          );
          scope.coreModules.push({ kind: 'defined', start: bodyStart, end: bodyStart + size });
          s.pos = s.end;
          break;
        }
        case 2: {
          const count = s.u32();
          for (let i = 0; i < count; i++) {
            const index = scope.coreInstances.length;
            this.coreInstances++;
            if (this.coreInstances > this.limits.maxCoreInstances)
              this.tooMany('core instances', this.limits.maxCoreInstances);
            const tag = s.byte();
            if (tag === 0x00) {
              const module = s.u32();
              const n = s.u32();
              const args: Array<{ name: string; instance: number }> = [];
              for (let j = 0; j < n; j++) {
                const name = this.name(s, where(`argument ${j} of core instance ${index}`));
                if (s.byte() !== 0x12) throw new BinaryError('bad instantiate argument', s.pos - 1);
                args.push({ name, instance: s.u32() });
              }
              scope.coreInstances.push({ kind: 'instantiate', module, args });
            } else if (tag === 0x01) {
              const n = s.u32();
              const items: Array<{ name: string; sort: number; index: number }> = [];
              for (let j = 0; j < n; j++) {
                const name = this.name(s, where(`export ${j} of core instance ${index}`));
                const sort = CORE + s.byte();
                items.push({ name, sort, index: s.u32() });
              }
              scope.coreInstances.push({ kind: 'exports', items });
            } else {
              throw new BinaryError('unknown core instance form', s.pos - 1);
            }
          }
          break;
        }
        case 3: {
          const count = s.u32();
          for (let i = 0; i < count; i++) {
            this.coreType(s, where(`core type ${scope.coreTypes}`));
            scope.coreTypes++;
          }
          break;
        }
        case 4: {
          const index = scope.components.length;
          this.nestedComponents++;
          const nested = this.component(
            bodyStart,
            bodyStart + size,
            scope,
            `nested component ${index} of ${label}`,
            depth + 1,
          );
          scope.nested.push(nested);
          const type: ComponentType = { k: 'component', exports: new Map() };
          for (const e of nested.exports) type.exports.set(e.name, e.extern);
          scope.components.push(type);
          s.pos = s.end;
          break;
        }
        case 5: {
          const count = s.u32();
          for (let i = 0; i < count; i++) {
            const index = scope.instances.length;
            const tag = s.byte();
            if (tag === 0x00) {
              const component = s.u32();
              const n = s.u32();
              for (let j = 0; j < n; j++) {
                this.name(s, where(`argument ${j} of instance ${index}`));
                this.readSort(s);
                s.u32();
              }
              const type = scope.components[component];
              scope.instances.push({
                kind: 'other',
                type: type ? { k: 'instance', exports: type.exports, abstract: new Map() } : null,
              });
            } else if (tag === 0x01) {
              const n = s.u32();
              const exports = new Map<string, Extern>();
              for (let j = 0; j < n; j++) {
                const name = this.externName(s, where(`export ${j} of instance ${index}`));
                const sort = this.readSort(s);
                const item = s.u32();
                exports.set(name, this.externOf(scope, sort, item));
              }
              scope.instances.push({ kind: 'other', type: { k: 'instance', exports, abstract: new Map() } });
            } else {
              throw new BinaryError('unknown instance form', s.pos - 1);
            }
          }
          break;
        }
        case 6: {
          const count = s.u32();
          for (let i = 0; i < count; i++) this.alias(s, scope, where(`alias ${i}`));
          break;
        }
        case 7: {
          const count = s.u32();
          for (let i = 0; i < count; i++) {
            const index = scope.types.length;
            scope.types.push(this.defType(s, scope, where(`type ${index}`)));
          }
          break;
        }
        case 8: {
          const count = s.u32();
          for (let i = 0; i < count; i++) {
            this.canon++;
            if (this.canon > this.limits.maxCanon)
              this.tooMany('canonical definitions', this.limits.maxCanon);
            this.canonDef(s, scope);
          }
          break;
        }
        case 9:
          scope.unsupported.push('a component start function');
          s.pos = s.end;
          break;
        case 10: {
          const count = s.u32();
          for (let i = 0; i < count; i++) {
            const name = this.externName(s, where(`the name of import ${scope.imports.length}`));
            const extern = this.externType(s, scope, name, null);
            scope.imports.push({ name, extern });
            if (extern.sort === 'instance' && extern.type) bindResources(extern.type, name);
            this.define(scope, extern, { kind: 'import', name });
          }
          break;
        }
        case 11: {
          const count = s.u32();
          for (let i = 0; i < count; i++) {
            const name = this.externName(s, where(`the name of export ${scope.exports.length}`));
            const sort = this.readSort(s);
            const index = s.u32();
            const hasType = s.byte();
            let extern = this.externOf(scope, sort, index);
            if (hasType === 0x01) extern = this.externType(s, scope, name, null);
            else if (hasType !== 0x00) throw new BinaryError('bad export type', s.pos - 1);
            scope.exports.push({ name, sort, index, extern });
            if (sort === SORT_FUNC) {
              this.countFunction(extern.sort === 'func' ? extern.type : null);
              scope.funcs.push({
                kind: 'export',
                of: index,
                type: extern.sort === 'func' ? extern.type : null,
              });
            } else if (sort === SORT_TYPE || sort === SORT_INSTANCE || sort === SORT_COMPONENT) {
              this.define(scope, extern);
            } else if (sort === CORE_MODULE) {
              scope.coreModules.push({ kind: 'other' });
            } else if (sort === SORT_VALUE) {
              scope.values++;
            }
          }
          break;
        }
        case 12:
          scope.unsupported.push('component values');
          s.pos = s.end;
          break;
        default:
          throw new BinaryError(`unknown section ${id}`, headerStart);
      }
      if (!s.done) throw new BinaryError(`section ${id} has ${s.end - s.pos} bytes left over`, s.pos);
    }
    if (scope.unsupported.length > 0) {
      throw new ComponentRefusal(
        'unsupported-feature',
        `It uses ${scope.unsupported.join(' and ')}, which Throwdown does not run.`,
      );
    }
    return scope;
  }

  externOf(scope: ComponentScope, sort: number, index: number): Extern {
    switch (sort) {
      case SORT_FUNC:
        return { sort: 'func', type: scope.funcs[index]?.type ?? null };
      case SORT_TYPE:
        return { sort: 'type', type: scope.types[index] ?? OPAQUE };
      case SORT_INSTANCE:
        return { sort: 'instance', type: scope.instances[index]?.type ?? null };
      case SORT_COMPONENT:
        return { sort: 'component' };
      case SORT_VALUE:
        return { sort: 'value' };
      default:
        return { sort: 'core-module' };
    }
  }

  /** Counts a lifted, lowered or exported function's type against maxFunctionCost. */
  countFunction(type: FuncType | null | undefined): void {
    this.functionCost += costOf(type ?? null);
    if (this.functionCost > this.limits.maxFunctionCost) {
      throw new ComponentRefusal(
        'too-complex',
        `The types of its functions add up to more than ${this.limits.maxFunctionCost.toLocaleString('en')} parts; no bot interface needs that much.`,
      );
    }
  }

  tooMany(what: string, max: number): never {
    throw new ComponentRefusal('too-complex', `It has more than ${max} ${what}; no bot needs that many.`);
  }
}

/**
 * The abstract resources of an imported instance's type become that interface's resources
 * (e.g. "output-stream" of "wasi:io/streams@0.2.3"). An instance type imported under two names
 * would make one resource two things; the direct path then refuses it (plan.ts).
 */
function bindResources(type: InstanceType, iface: string): void {
  for (const resource of type.abstract.values()) {
    if (resource.iface === null) resource.iface = iface;
    else if (resource.iface !== iface) resource.local = true;
  }
}
