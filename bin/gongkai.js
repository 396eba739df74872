#!/usr/bin/env node
// The `gongkai` command: runs the compiled CLI (built by `npm run build`, which `npm ci` runs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('gongkai is not built yet: run `npm run build` first\n');
  process.exit(2);
}
await import(main.href);
