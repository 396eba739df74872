// No import cycles at run time in src/: a module that is imported again while it is still being
// evaluated sees its own exports undefined (or in their temporal dead zone), which breaks in ways
// that depend on which file happened to be imported first. Read from each file: its static
// `import … from`, `export … from` and bare `import '…'` statements; `import type`, `export type`
// and imports whose every name is marked `type` are erased by the build and do not count, nor does
// dynamic import() (it runs later, after every module has been evaluated). An import of names used
// only as types should say so with `type`.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '../../src');

// The clause between the keyword and `from` holds only names, braces, commas, `*`, `as`, `type`.
const FROM = /^[ \t]*(import|export)\s+(type\s+)?([\w\s{},*$]*?)\s*from\s*['"]([^'"]+)['"]/gm;
const BARE = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;

/** The relative specifiers a file imports at run time. */
function runtimeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(FROM)) {
    const [, , typeOnly, clause, spec] = m;
    if (typeOnly) continue;
    const braces = /\{([^}]*)\}/.exec(clause);
    const outside = clause.replace(/\{[^}]*\}/, '').replace(/,/g, '').trim();
    const names = braces ? braces[1].split(',').map((x) => x.trim()).filter(Boolean) : [];
    // `{ type A, type B }` with nothing else (no default or namespace import) is erased.
    if (braces && !outside && names.length && names.every((n) => /^type\s/.test(n))) continue;
    out.push(spec);
  }
  for (const m of text.matchAll(BARE)) out.push(m[1]);
  return out.filter((s) => s.startsWith('.'));
}

/** `./x.js` from `dir` → the .ts/.tsx source file it is compiled from. */
function resolveSource(dir: string, spec: string): string | null {
  const base = resolve(dir, spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const c of [`${stem}.ts`, `${stem}.tsx`, base, join(base, 'index.ts')]) if (existsSync(c) && /\.tsx?$/.test(c)) return c;
  return null;
}

function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!/\.tsx?$/.test(f) || f.endsWith('.d.ts')) continue;
    const file = join(root, f);
    const deps = runtimeImports(readFileSync(file, 'utf8'))
      .map((s) => resolveSource(dirname(file), s))
      .filter((x): x is string => x !== null);
    graph.set(file, [...new Set(deps)]);
  }
  return graph;
}

/** Every cycle, each once (as its strongly connected component's members, one cycle path shown). */
function findCycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's strongly connected components; a component of more than one file (or a file that
  // imports itself) holds a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const comps: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) comps.push(comp);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  // One concrete cycle per component: a shortest path back to its first (sorted) member.
  return comps.map((comp) => {
    const members = new Set(comp);
    const start = [...comp].sort()[0];
    const prev = new Map<string, string>();
    const queue = [start];
    const seen = new Set([start]);
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          const path = [v];
          while (path[0] !== start) path.unshift(prev.get(path[0])!);
          return [...path, start];
        }
        if (!seen.has(w)) {
          seen.add(w);
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    return [start, start];
  });
}

describe('runtime import graph of src/', () => {
  it('reads what runs: type-only imports do not count; values, re-exports and bare imports do', () => {
    const text = [
      "import type { A } from './a.js';",
      "import { type B, type C } from './b.js';",
      "import {",
      "  d,",
      "  type D,",
      "} from './d.js';",
      "import E, { type F } from './e.js';",
      "import './f.js';",
      "export { g } from './g.js';",
      "export type { H } from './h.js';",
      "export * from './i.js';",
      "import * as j from './j.js';",
      "import x from 'node:fs';",
      'const later = () => import("./lazy.js");',
      "const s = 'text from \\'./not-an-import.js\\'';",
      "// import { k } from './commented.js';",
    ].join('\n');
    expect(runtimeImports(text).sort()).toEqual(['./d.js', './e.js', './f.js', './g.js', './i.js', './j.js']);
  });

  it('finds a cycle and shows it', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCycles(g).map((c) => c.join(' → ')).sort()).toEqual(['a → b → c → a', 'e → e']);
  });

  it('has no cycles', () => {
    const graph = importGraph(SRC);
    expect(graph.size).toBeGreaterThan(50);
    const cycles = findCycles(graph).map((c) => c.map((f) => relative(join(SRC, '..'), f)).join(' → '));
    expect(cycles, `import cycles at run time:\n${cycles.join('\n')}`).toEqual([]);
  });
});
