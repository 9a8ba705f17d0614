/**
 * A generated corpus of components carrying hostile names at every place a name can sit: core
 * import module and field names, core exports, core instance exports and instantiate arguments,
 * component imports and exports, instance and component type declarations, type labels,
 * parameter names, custom sections and name sections, at the top level and inside a nested
 * component. Each is a real `player` component (it plays paper every round) except for the name.
 *
 * How: the WAT template is written with a placeholder of exactly the hostile name's byte length
 * (plain ASCII, which the text parser accepts anywhere), encoded by wasm-tools, and then every
 * occurrence of the placeholder's bytes is overwritten with the hostile bytes. Lengths do not
 * change, so no size field has to be recomputed, and invalid UTF-8 can be placed too.
 */

export interface HostileName {
  id: string;
  bytes: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Strings that would break out of a JavaScript string, comment, template or script tag, or mean something to objects. */
export const HOSTILE_NAMES: readonly HostileName[] = [
  { id: 'single-quote', bytes: utf8("a'+(globalThis.pwned=1)+'b") },
  { id: 'double-quote', bytes: utf8('a"+(globalThis.pwned=1)+"b') },
  { id: 'backslash', bytes: utf8("a\\'+(globalThis.pwned=1)+'b") },
  { id: 'backtick', bytes: utf8('a`+(globalThis.pwned=1)+`b') },
  { id: 'template', bytes: utf8(`a$\{globalThis.pwned=1}b`) },
  { id: 'newline', bytes: utf8("a\nglobalThis.pwned=1;'") },
  { id: 'u2028', bytes: utf8("a\u2028globalThis.pwned=1;'") },
  { id: 'u2029', bytes: utf8("a\u2029globalThis.pwned=1;'") },
  { id: 'comment', bytes: utf8('a*/globalThis.pwned=1;/*b') },
  { id: 'script-tag', bytes: utf8('a</script><script>pwned()</script>') },
  { id: 'proto', bytes: utf8('__proto__') },
  { id: 'constructor', bytes: utf8('constructor') },
  { id: '64k', bytes: utf8('a'.repeat(64 * 1024)) },
  { id: 'invalid-utf8', bytes: Uint8Array.of(0x61, 0xff, 0xfe, 0x27, 0x2b, 0x31, 0x2b, 0x27, 0xc0, 0x80) },
];

export interface NamePosition {
  id: string;
  /** Where the name sits, in words. */
  where: string;
  /** True when the name is data no generator reads (custom sections): the bot must be accepted and play. */
  inert: boolean;
  wat(p: string): string;
}

const TYPES_INSTANCE = (extra = '') => `
  (type $types (instance
    (type (enum "rock" "paper" "scissors"))
    (export "hand" (type (eq 0)))
    (type (option 1))
    (type (record (field "round" u32) (field "total-rounds" u32) (field "my-last" 2) (field "their-last" 2)))
    (export "round-state" (type (eq 3)))
    ${extra}))
  (import "throwdown:rps/types@0.1.0" (instance $t (type $types)))
  (alias export $t "hand" (type $hand))
  (import "hand" (type $h (eq $hand)))
  (alias export $t "round-state" (type $rs))
  (import "round-state" (type $r (eq $rs)))`;

interface FlatParts {
  types?: string;
  top?: string;
  module?: string;
  moduleName?: string;
  field?: string;
  playExport?: string;
  bundle?: string;
  exports?: string;
  funcName?: string;
}

/** A flat player component: `$m` calls `env.f` (from helper module `$a`) and plays its answer, 1 (paper). */
function flat(parts: FlatParts = {}): string {
  const moduleName = parts.moduleName ?? 'env';
  const field = parts.field ?? 'f';
  const playExport = parts.playExport ?? 'play';
  return `(component
  ${TYPES_INSTANCE(parts.types)}
  ${parts.top ?? ''}
  (core module $a (func (export "f") (result i32) (i32.const 1)))
  (core instance $ai (instantiate $a))
  (alias core export $ai "f" (core func $f))
  (core instance $b (export "${field}" (func $f)))
  ${parts.bundle ?? ''}
  (core module $m
    (import "${moduleName}" "${field}" (func $g (result i32)))
    ${parts.module ?? ''}
    (func ${parts.funcName ?? ''} (export "${playExport}") (param i32 i32 i32 i32 i32 i32) (result i32) (call $g)))
  (core instance $i (instantiate $m (with "${moduleName}" (instance $b))))
  (type $ft (func (param "state" $r) (result $h)))
  (alias core export $i "${playExport}" (core func $p))
  (func $play (type $ft) (canon lift (core func $p)))
  (export "play" (func $play))
  ${parts.exports ?? ''}
)`;
}

interface NestedParts {
  inner?: string;
  module?: string;
  field?: string;
  innerImport?: string;
}

/** A player component whose code sits in a nested component (the bindings path), like componentize-qjs bots. */
function nested(parts: NestedParts = {}): string {
  const field = parts.field ?? 'f';
  const innerImport = parts.innerImport;
  return `(component
  ${TYPES_INSTANCE()}
  (component $inner
    ${innerImport ? `(import "${innerImport}" (instance))` : ''}
    ${TYPES_INSTANCE()}
    ${parts.inner ?? ''}
    (core module $a (func (export "f") (result i32) (i32.const 1)))
    (core instance $ai (instantiate $a))
    (alias core export $ai "f" (core func $f))
    (core instance $b (export "${field}" (func $f)))
    (core module $m
      (import "env" "${field}" (func $g (result i32)))
      ${parts.module ?? ''}
      (func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32) (call $g)))
    (core instance $i (instantiate $m (with "env" (instance $b))))
    (type $ift (func (param "state" $r) (result $h)))
    (alias core export $i "play" (core func $p))
    (func $play (type $ift) (canon lift (core func $p)))
    (export "play" (func $play)))
  ${innerImport ? '(instance $empty)' : ''}
  (instance $ii (instantiate $inner
    ${innerImport ? `(with "${innerImport}" (instance $empty))` : ''}
    (with "throwdown:rps/types@0.1.0" (instance $t))
    (with "hand" (type $h))
    (with "round-state" (type $r))))
  (alias export $ii "play" (func $f))
  (export "play" (func $f))
)`;
}

export const NAME_POSITIONS: readonly NamePosition[] = [
  {
    id: 'core-import-module',
    where: 'a core import module name and its instantiate argument',
    inert: false,
    wat: (p) => flat({ moduleName: p }),
  },
  {
    id: 'core-import-field',
    where: 'a core import field name and a core instance export',
    inert: false,
    wat: (p) => flat({ field: p }),
  },
  {
    id: 'core-export',
    where: 'the core export play lifts, and its alias',
    inert: false,
    wat: (p) => flat({ playExport: p }),
  },
  {
    id: 'core-export-unused',
    where: 'an unused core export',
    inert: false,
    wat: (p) => flat({ module: `(func (export "${p}"))` }),
  },
  {
    id: 'core-instance-export',
    where: 'an export of a core instance made of exports',
    inert: false,
    wat: (p) => flat({ bundle: `(core instance (export "${p}" (func $f)))` }),
  },
  {
    id: 'component-import',
    where: 'a component import',
    inert: false,
    wat: (p) => flat({ top: `(import "${p}" (instance))` }),
  },
  {
    id: 'component-export',
    where: 'a component export',
    inert: false,
    wat: (p) => flat({ exports: `(export "${p}" (func $play))` }),
  },
  {
    id: 'instance-type-export',
    where: 'an export declared in an instance type',
    inert: false,
    wat: (p) => flat({ types: `(export "${p}" (type (eq 0)))` }),
  },
  {
    id: 'alias-export',
    where: 'an alias of an instance export',
    inert: false,
    wat: (p) => flat({ types: `(export "${p}" (type (eq 0)))`, top: `(alias export $t "${p}" (type))` }),
  },
  {
    id: 'record-field',
    where: 'a record field',
    inert: false,
    wat: (p) => flat({ top: `(type (record (field "${p}" u32)))` }),
  },
  {
    id: 'variant-case',
    where: 'a variant case',
    inert: false,
    wat: (p) => flat({ top: `(type (variant (case "${p}" u32)))` }),
  },
  { id: 'enum-case', where: 'an enum case', inert: false, wat: (p) => flat({ top: `(type (enum "${p}"))` }) },
  { id: 'flags-label', where: 'a flag', inert: false, wat: (p) => flat({ top: `(type (flags "${p}"))` }) },
  {
    id: 'param-name',
    where: 'a function parameter',
    inert: false,
    wat: (p) => flat({ top: `(type (func (param "${p}" u32)))` }),
  },
  {
    id: 'component-instance-export',
    where: 'an export of a component instance made of exports',
    inert: false,
    wat: (p) => flat({ top: `(instance (export "${p}" (type $h)))` }),
  },
  {
    id: 'component-type-export',
    where: 'an export declared in a component type',
    inert: false,
    wat: (p) => flat({ top: `(type (component (export "${p}" (type (sub resource)))))` }),
  },
  {
    id: 'core-module-type',
    where: 'the imports and exports of a core module type',
    inert: false,
    wat: (p) => flat({ top: `(core type (module (import "${p}" "${p}" (func)) (export "${p}" (func))))` }),
  },
  {
    id: 'custom-section',
    where: 'a custom section of the component (name and contents)',
    inert: true,
    wat: (p) => flat({ top: `(@custom "${p}" "${p}")` }),
  },
  {
    id: 'core-custom-section',
    where: 'a custom section of a core module (name and contents)',
    inert: true,
    wat: (p) => flat({ module: `(@custom "${p}" "${p}")` }),
  },
  {
    id: 'component-name-section',
    where: 'the component name section',
    inert: true,
    wat: (p) => flat({ top: `(type $named (@name "${p}") (enum "x"))` }),
  },
  {
    id: 'core-name-section',
    where: 'the name section of a core module (a function name)',
    inert: true,
    wat: (p) => flat({ funcName: `$play (@name "${p}")` }),
  },
  {
    id: 'nested-core-import-field',
    where: 'a core import field inside a nested component',
    inert: false,
    wat: (p) => nested({ field: p }),
  },
  {
    id: 'nested-core-export',
    where: 'a core export inside a nested component',
    inert: false,
    wat: (p) => nested({ module: `(func (export "${p}"))` }),
  },
  {
    id: 'nested-component-import',
    where: 'an import of a nested component',
    inert: false,
    wat: (p) => nested({ innerImport: p }),
  },
  {
    id: 'nested-record-field',
    where: 'a record field inside a nested component',
    inert: false,
    wat: (p) => nested({ inner: `(type (record (field "${p}" u32)))` }),
  },
  {
    id: 'nested-custom-section',
    where: 'a custom section of a nested component',
    inert: true,
    wat: (p) => nested({ inner: `(@custom "${p}" "${p}")` }),
  },
  {
    id: 'nested-core-custom-section',
    where: 'a custom section of a core module inside a nested component',
    inert: true,
    wat: (p) => nested({ module: `(@custom "${p}" "${p}")` }),
  },
];

/** An ASCII stand-in with the same byte length as `name`, unlikely to occur anywhere else. */
export function placeholderFor(name: Uint8Array): string {
  const head = 'zqjv';
  if (name.length < head.length + 2) throw new Error('hostile names must be at least 6 bytes long');
  return head + 'k'.repeat(name.length - head.length);
}

/** Overwrites every occurrence of `from` in `bytes` with `to` (same length); returns how many. */
export function overwrite(bytes: Uint8Array, from: Uint8Array, to: Uint8Array): number {
  if (from.length !== to.length) throw new Error('overwrite needs equal lengths');
  let count = 0;
  outer: for (let i = 0; i + from.length <= bytes.length; i++) {
    for (let j = 0; j < from.length; j++) if (bytes[i + j] !== from[j]) continue outer;
    bytes.set(to, i);
    count++;
    i += from.length - 1;
  }
  return count;
}

/** The component of `position` with `name` in it; `parse` is wasm-tools' text parser. */
export async function componentWithName(
  position: NamePosition,
  name: Uint8Array,
  parse: (wat: string) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const placeholder = placeholderFor(name);
  const bytes = new Uint8Array(await parse(position.wat(placeholder)));
  const count = overwrite(bytes, new TextEncoder().encode(placeholder), name);
  if (count === 0) throw new Error(`${position.id}: the placeholder did not reach the binary`);
  return bytes;
}
