/**
 * Imported first by src/main.ts, so it runs before anything else: on a Node older than the
 * project supports, print one line saying what to install and exit, instead of a stack trace
 * from deep inside a sandbox worker. (A version check is right here: "supported" is a statement
 * about release lines. The sandbox chooses its flags by feature detection: node-flags.ts.)
 */
export const MINIMUM_NODE = { major: 22, minor: 12 } as const;

export function nodeIsSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > MINIMUM_NODE.major || (major === MINIMUM_NODE.major && minor >= MINIMUM_NODE.minor);
}

export const UNSUPPORTED_NODE = (version: string) =>
  `throwdown: Node ${version} is not supported; use Node 22.12 or newer (26 LTS recommended). ` +
  'Inside the project, `npm start`, `npm test` and `npx throwdown` use the Node 26 that `npm ci` installs.';

if (!nodeIsSupported(process.version)) {
  process.stderr.write(`${UNSUPPORTED_NODE(process.version)}\n`);
  process.exit(1);
}
