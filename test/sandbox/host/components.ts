/**
 * Builds and loads real components for the preview2 host tests: JavaScript through
 * componentize-qjs, then jco's transpiler in `instantiation: 'sync'` mode, exactly the path a
 * bot takes. Core modules are compiled once per component and reused for every instance.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { componentEmbed, componentNew, parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { componentize } from 'componentize-qjs';

export interface LoadedComponent<Root> {
  /** A fresh instance with the given imports (keyed by unversioned interface name). */
  instantiate(imports: Record<string, object>): Root;
  /** The interfaces the component imports, unversioned. */
  imports: string[];
}

type Instantiate = (
  getCoreModule: (path: string) => WebAssembly.Module,
  imports: Record<string, object>,
) => unknown;

export async function componentizeJs(witPath: string, world: string, jsSource: string): Promise<Uint8Array> {
  const { component } = await componentize({ witPath, world, jsSource, stubWasi: false, sync: true });
  return component;
}

export async function loadComponent<Root>(bytes: Uint8Array, name: string): Promise<LoadedComponent<Root>> {
  const { files, imports } = await transpileBytes(bytes, { name, instantiation: 'sync' });
  const dir = await mkdtemp(join(tmpdir(), `throwdown-${name}-`));
  const modules = new Map<string, WebAssembly.Module>();
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), contents);
    if (path.endsWith('.wasm')) modules.set(path, new WebAssembly.Module(contents));
  }
  const glue = (await import(pathToFileURL(join(dir, `${name}.js`)).href)) as { instantiate: Instantiate };
  await rm(dir, { recursive: true, force: true }); // the glue is loaded; core modules come from `modules`
  const getCoreModule = (path: string) => {
    const module = modules.get(path);
    if (module === undefined) throw new Error(`no core module ${path}`);
    return module;
  };
  return {
    imports,
    instantiate: (hostImports) => glue.instantiate(getCoreModule, hostImports) as Root,
  };
}

/** A component from a WAT core module plus the WIT world it implements (no language runtime). */
export async function componentFromWat(wat: string, witSource: string, world: string): Promise<Uint8Array> {
  const core = await parse(wat);
  const embedded = await componentEmbed({ binary: core, witSource, world });
  return componentNew(embedded);
}
