// A large module composes its messages from one file per part (src/modules/<m>/messages/): a key
// given by two parts would silently take the later one's text, and a key in one language only
// would show the key itself to the other language's readers.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const modules = readdirSync('src/modules').filter((m) => existsSync(`src/modules/${m}/messages`));

describe('message parts', () => {
  it('enforcement and decisions compose their messages from parts', () => {
    expect(modules).toEqual(expect.arrayContaining(['enforcement', 'decisions']));
  });
  it.each(modules)('%s: every key is defined once, in both languages', async (mod) => {
    const dir = `src/modules/${mod}/messages`;
    const owner = new Map<string, string>();
    const problems: string[] = [];
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const m = (await import(resolve(dir, f))) as { zh: Record<string, string>; en: Record<string, string> };
      for (const k of Object.keys(m.zh)) {
        if (owner.has(k)) problems.push(`${k}: in ${owner.get(k)} and ${f}`);
        owner.set(k, f);
        if (!(k in m.en)) problems.push(`${k}: no English in ${f}`);
      }
      for (const k of Object.keys(m.en)) if (!(k in m.zh)) problems.push(`${k}: no Chinese in ${f}`);
    }
    expect(problems).toEqual([]);
    expect(owner.size).toBeGreaterThan(10);
  });
});
