import type { Toolchain } from './shell.js';

/**
 * The runnable sections of a markdown page: each starts at `<!-- doc-test: NAME requires=A,B -->`
 * and ends at the next such marker, at `<!-- end doc-test -->`, or at the next heading outside a
 * code block. Fenced blocks whose info string has `file=NAME` are files to write; `sh` blocks are
 * the commands, in order.
 */
export interface DocSection {
  name: string;
  requires: Toolchain[];
  files: Record<string, string>;
  script: string[];
}

export function docSections(markdown: string): DocSection[] {
  const sections: DocSection[] = [];
  let current: DocSection | null = null;
  let fence: { info: string; lines: string[] } | null = null;
  for (const line of markdown.split('\n')) {
    if (fence) {
      if (line === '```') {
        const [lang = '', ...rest] = fence.info.split(/\s+/);
        const file = /^file=(\S+)$/.exec(rest.join(' '))?.[1];
        if (current && file) current.files[file] = `${fence.lines.join('\n')}\n`;
        else if (current && lang === 'sh') current.script.push(...fence.lines.filter((l) => l.trim() !== ''));
        fence = null;
      } else fence.lines.push(line);
      continue;
    }
    const open = /^```(.*)$/.exec(line);
    if (open) {
      fence = { info: (open[1] as string).trim(), lines: [] };
      continue;
    }
    const marker = /^<!-- doc-test: (\S+)((?: \w+=\S+)*) -->$/.exec(line);
    if (marker) {
      const requires = /\brequires=(\S+)/.exec(marker[2] ?? '')?.[1];
      current = {
        name: marker[1] as string,
        requires: (requires?.split(',') ?? []) as Toolchain[],
        files: {},
        script: [],
      };
      sections.push(current);
    } else if (line === '<!-- end doc-test -->' || /^#{1,6} /.test(line)) current = null;
  }
  return sections;
}
