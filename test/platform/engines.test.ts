// `npm ci` on the Node version the README promises installs without EBADENGINE warnings: every
// locked package that declares an engines.node range accepts our floor (package.json engines).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import semver from 'semver';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));

describe('engines', () => {
  it('every locked dependency runs on the lowest Node version package.json allows', () => {
    const floor = semver.minVersion(pkg.engines.node)!.version;
    const refuse = Object.entries(lock.packages as Record<string, { engines?: { node?: string } | string[]; dev?: boolean; optional?: boolean }>)
      .filter(([path, p]) => path && !p.optional && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !semver.satisfies(floor, (p.engines as { node: string }).node, { includePrerelease: true }))
      .map(([path, p]) => `${path.replace(/^node_modules\//, '')} needs node ${(p.engines as { node: string }).node}`);
    expect(refuse).toEqual([]);
  });
});
