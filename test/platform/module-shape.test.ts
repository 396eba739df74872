// One module shape (docs/architecture.md, "Module shape"): every folder under src/modules holds
// the same file roles, its module.ts exports the module under the folder's name, and no source
// file in src/ grows past 600 lines.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GongkaiModule } from '../../src/platform/module.js';
import { MODULES } from '../../src/modules/index.js';

/** Files a module folder may hold at its top level (each .ts, or .tsx when it has JSX). */
const ROLE_FILES = ['module', 'messages', 'schema', 'service', 'api', 'public', 'console', 'views', 'items', 'demo', 'cli'];
/** A role grown into several files lives in a folder of that name (files at any depth). */
const ROLE_FOLDERS = ['service', 'api', 'public', 'console', 'demo', 'messages', 'items'];

/** Pending moves: files that break the shape until they move. Remove an entry when its file moves. */
const PENDING_MOVES: Record<string, string> = {
};

const MAX_LINES = 600;
/** Files allowed past MAX_LINES for now, each with the reason it is not split yet. */
const LONG_FILES: Record<string, string> = {};

const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)).map((x) => `${f}/${x}`) : [f]));
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
const folders = readdirSync('src/modules').filter((f) => statSync(join('src/modules', f)).isDirectory());
const sources = folders.flatMap((m) => files(join('src/modules', m)).filter((f) => /\.tsx?$/.test(f)).map((f) => ({ m, f, text: readFileSync(join('src/modules', m, f), 'utf8') })));

function isRolePath(path: string): boolean {
  const [first, ...rest] = path.split('/');
  if (rest.length) return ROLE_FOLDERS.includes(first);
  const m = /^([a-z]+)\.tsx?$/.exec(first);
  return !!m && ROLE_FILES.includes(m[1]);
}

describe('module shape', () => {
  it('every file of a module is a role file or lies inside a role folder', () => {
    expect(folders.length).toBeGreaterThanOrEqual(7);
    const stray = folders.flatMap((m) => files(join('src/modules', m)).map((f) => `${m}/${f}`)).filter((p) => !isRolePath(p.slice(p.indexOf('/') + 1)) && !(p in PENDING_MOVES));
    expect(stray, `not in a role (see docs/architecture.md, "Module shape"):\n${stray.join('\n')}`).toEqual([]);
    const stale = Object.keys(PENDING_MOVES).filter((p) => !existsSync(join('src/modules', p)));
    expect(stale, 'a pending move is done: remove it from PENDING_MOVES').toEqual([]);
  });

  it("each folder's module.ts(x) exports the module listed in src/modules/index.ts under the folder's name", async () => {
    for (const m of folders) {
      const entry = ['module.ts', 'module.tsx'].filter((f) => existsSync(join('src/modules', m, f)));
      expect(entry, m).toHaveLength(1);
      const exported = Object.values(await import(resolve('src/modules', m, entry[0]))).filter((v): v is GongkaiModule => !!v && typeof v === 'object' && typeof (v as GongkaiModule).name === 'string');
      expect(exported, `${m}/${entry[0]} exports one GongkaiModule`).toHaveLength(1);
      expect(exported[0].name).toBe(m);
      expect(MODULES, `${m} is in MODULES`).toContain(exported[0]);
    }
    // …and every module in the list (but the platform's own) has its folder.
    expect(MODULES.map((x) => x.name).filter((n) => n !== 'platform').sort()).toEqual([...folders].sort());
  });

  it("a module's messages come from its messages.ts", async () => {
    for (const mod of MODULES.filter((x) => x.name !== 'platform' && x.messages)) {
      const file = join('src/modules', mod.name, 'messages.ts');
      expect(existsSync(file), file).toBe(true);
      expect(Object.values(await import(resolve(file))), `${file} exports the module's messages`).toContain(mod.messages);
    }
  });

  it('tables and migrations are declared in schema.ts, spine item types registered in items.ts(x) or items/<part>.ts(x)', () => {
    const misplaced: string[] = [];
    for (const { m, f, text } of sources) {
      if (f !== 'schema.ts' && (/declare module '[^']*\/db\/schema\.js'/.test(text) || /\bGkMigration\b/.test(text))) misplaced.push(`${m}/${f}: tables or migrations (schema.ts)`);
      if (!/^items(\.tsx?|\/[a-z0-9-]+\.tsx?)$/.test(f) && /\bregisterItemType\s*[<(]/.test(text)) misplaced.push(`${m}/${f}: registerItemType (items.ts)`);
    }
    expect(misplaced, misplaced.join('\n')).toEqual([]);
  });

  it(`no source file in src/ is longer than ${MAX_LINES} lines`, () => {
    const long = files('src')
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) => ({ f: `src/${f}`, n: lineCount(readFileSync(join('src', f), 'utf8')) }))
      .filter((x) => x.n > MAX_LINES);
    const over = long.filter((x) => !(x.f in LONG_FILES)).map((x) => `${x.f}: ${x.n} lines`);
    expect(over, over.join('\n')).toEqual([]);
    // An exception that is no longer long (or no longer there) leaves the list.
    expect(Object.keys(LONG_FILES).filter((f) => !long.some((x) => x.f === f))).toEqual([]);
  });
});
