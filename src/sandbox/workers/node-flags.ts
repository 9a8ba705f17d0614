/**
 * Node flags for the sandbox processes, chosen by what the running Node accepts (feature
 * detection, never version strings): the permission model's flag was renamed between lines
 * (`--experimental-permission` on 20, both on 22, `--permission` from 24 on), and only some
 * lines put the network under it (`--allow-net` exists: then leaving it out denies sockets).
 */
export interface PermissionFlags {
  /** The flag that turns the permission model on. */
  enable: '--permission' | '--experimental-permission';
  /** True when the permission model also governs the network (Node 26): workers get no sockets. */
  deniesNetwork: boolean;
}

export function permissionFlags(
  allowed: ReadonlySet<string> = process.allowedNodeEnvironmentFlags,
): PermissionFlags {
  const enable = allowed.has('--permission') ? '--permission' : '--experimental-permission';
  return { enable, deniesNetwork: allowed.has('--allow-net') };
}

/** Warnings the sandbox processes would print on every start (their stderr is a log, not a console). */
export const QUIET_FLAGS: readonly string[] = [
  '--disable-warning=ExperimentalWarning',
  '--disable-warning=SecurityWarning',
];

/**
 * Match workers run bindings generated from uploads (play/glue-realm.ts). These make the worker's
 * own realm useless to them even where an outer object leaks in: no `eval` or `new Function`
 * (so an outer `Function` compiles nothing), and JavaScript's built-ins frozen (so nothing a bot
 * patches outlives its match).
 */
export const GLUE_CONTAINMENT_FLAGS: readonly string[] = [
  '--disallow-code-generation-from-strings',
  '--frozen-intrinsics',
];
