import { describe, expect, it } from 'vitest';
import { splitInterfaceName, summariseWorld } from '../../../src/sandbox/component/world-text.js';
import { checkComponentWorld } from '../../../src/sandbox/prepare/check-component.js';

// What componentWit printed for a componentize-qjs bot built from wit/rps.wit (measured).
const QJS_BOT = `package root:component;

world root {
  import throwdown:rps/arena@0.1.0;
  import throwdown:rps/types@0.1.0;
  use throwdown:rps/types@0.1.0.{hand, round-state};

  export init: func(shim: string, script: string, entry-path: option<string>, disable-gc: bool) -> result<_, string>;
  export play: func(state: round-state) -> hand;
}
`;

const withLines = (...lines: string[]) =>
  QJS_BOT.replace('  export init', `${lines.map((l) => `  ${l}`).join('\n')}\n  export init`);

describe('summariseWorld', () => {
  it('lists imports, exports with signatures and use lines', () => {
    const w = summariseWorld(QJS_BOT);
    expect(w.imports.map((i) => i.name)).toEqual(['throwdown:rps/arena@0.1.0', 'throwdown:rps/types@0.1.0']);
    expect(w.exports).toEqual([
      {
        name: 'init',
        signature:
          'func(shim: string, script: string, entry-path: option<string>, disable-gc: bool) -> result<_, string>',
      },
      { name: 'play', signature: 'func(state: round-state) -> hand' },
    ]);
    expect(w.uses).toEqual(['throwdown:rps/types@0.1.0.{hand, round-state}']);
  });

  it('ignores items nested inside inline interfaces', () => {
    const w = summariseWorld(
      `world root {\n  import x: interface {\n    f: func();\n  }\n  export play: func(s: round-state) -> hand;\n}\n`,
    );
    expect(w.imports.map((i) => i.name)).toEqual(['x']);
    expect(w.exports.map((e) => e.name)).toEqual(['play']);
  });

  it('splits interface names', () => {
    expect(splitInterfaceName('wasi:cli/stdout@0.2.3')).toEqual({
      pkg: 'wasi:cli',
      iface: 'stdout',
      version: '0.2.3',
    });
    expect(splitInterfaceName('throwdown:rps/arena')).toEqual({
      pkg: 'throwdown:rps',
      iface: 'arena',
      version: null,
    });
    expect(splitInterfaceName('play')).toBeNull();
  });
});

describe('checkComponentWorld', () => {
  it('accepts the player world with WASI stdio and random', () => {
    const w = summariseWorld(withLines('import wasi:cli/stdout@0.2.6;', 'import wasi:random/random@0.2.6;'));
    expect(checkComponentWorld(w)).toBeNull();
  });

  it('refuses the network by name', () => {
    for (const iface of ['wasi:sockets/tcp@0.2.0', 'wasi:http/outgoing-handler@0.2.0']) {
      expect(checkComponentWorld(summariseWorld(withLines(`import ${iface};`)))).toEqual({
        code: 'forbidden-import',
        message: `It imports ${iface}: bots may not use the network.`,
      });
    }
  });

  it('refuses unknown interfaces, functions and versions', () => {
    expect(checkComponentWorld(summariseWorld(withLines('import acme:evil/api@1.0.0;')))?.code).toBe(
      'unknown-import',
    );
    expect(checkComponentWorld(summariseWorld(withLines('import launch: func();')))?.message).toMatch(
      /`launch`/,
    );
    expect(checkComponentWorld(summariseWorld(withLines('import wasi:cli/stdout@0.3.0;')))?.message).toMatch(
      /WASI 0\.3\.0/,
    );
  });

  it('needs play with the world signature and our types', () => {
    const noPlay = summariseWorld(QJS_BOT.replace(/ {2}export play.*\n/, ''));
    expect(checkComponentWorld(noPlay)?.code).toBe('wrong-exports');
    const command = summariseWorld('world root {\n  export wasi:cli/run@0.2.3;\n}\n');
    expect(checkComponentWorld(command)?.message).toMatch(/wasm32-wasip1/);
    const wrongSig = summariseWorld(
      QJS_BOT.replace('func(state: round-state) -> hand', 'func(round: u32) -> u32'),
    );
    expect(checkComponentWorld(wrongSig)).toMatchObject({ code: 'wrong-signature' });
    const ownTypes = summariseWorld(QJS_BOT.replace(/ {2}use .*\n/, ''));
    expect(checkComponentWorld(ownTypes)).toMatchObject({ code: 'wrong-signature' });
  });
});
