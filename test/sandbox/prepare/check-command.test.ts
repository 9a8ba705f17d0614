import { describe, expect, it } from 'vitest';
import { checkCommandExports, checkCommandImports } from '../../../src/sandbox/prepare/check-command.js';

const p1 = (name: string) => ({ module: 'wasi_snapshot_preview1', name, kind: 'function' });

describe('command bot imports', () => {
  it('accepts WASI preview1 functions', () => {
    expect(
      checkCommandImports([p1('fd_write'), p1('random_get'), p1('proc_exit'), p1('path_open')]),
    ).toBeNull();
  });

  it('refuses socket extensions that open connections as network use', () => {
    expect(checkCommandImports([p1('fd_write'), p1('sock_open')])).toEqual({
      code: 'forbidden-import',
      message: 'It imports wasi_snapshot_preview1.sock_open: bots may not use the network.',
    });
  });

  it("accepts preview1's own socket calls, which can only fail without handed-in sockets", () => {
    expect(
      checkCommandImports([p1('sock_accept'), p1('sock_recv'), p1('sock_send'), p1('sock_shutdown')]),
    ).toBeNull();
  });

  it('refuses anything the host does not provide, naming it', () => {
    expect(checkCommandImports([{ module: 'env', name: 'launch_missiles', kind: 'function' }])).toMatchObject(
      {
        code: 'unknown-import',
        message: expect.stringContaining('env.launch_missiles, which Throwdown does not provide'),
      },
    );
    expect(checkCommandImports([p1('fd_teleport')])).toMatchObject({ code: 'unknown-import' });
    expect(
      checkCommandImports([{ module: 'wasi_unstable', name: 'fd_write', kind: 'function' }])?.message,
    ).toMatch(/wasm32-wasip1/);
    expect(checkCommandImports([{ module: 'env', name: 'memory', kind: 'memory' }])?.message).toMatch(
      /define their own memory/,
    );
  });
});

describe('command bot exports', () => {
  it('needs _start and memory', () => {
    expect(
      checkCommandExports([
        { name: '_start', kind: 'function' },
        { name: 'memory', kind: 'memory' },
      ]),
    ).toBeNull();
    expect(checkCommandExports([{ name: 'memory', kind: 'memory' }])?.message).toMatch(/no `_start` export/);
    expect(checkCommandExports([{ name: '_start', kind: 'function' }])?.message).toMatch(
      /does not export its memory/,
    );
  });

  it('points a module exporting play at the component world', () => {
    expect(checkCommandExports([{ name: 'play', kind: 'function' }])?.message).toMatch(/build a component/);
  });
});
