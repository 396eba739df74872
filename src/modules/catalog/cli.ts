// `gongkai catalog index-prefix` (索引号 prefix) and `gongkai demo --documents N` (synthetic documents).
import type { CliCommand } from '../../platform/module.js';

export const catalogCli: Record<string, CliCommand> = {
  'catalog index-prefix': {
    usage: 'catalog index-prefix government|department   索引号 prefix: the government\'s code, or each department\'s own code when it has one',
    async run(args, p) {
      const mode = args[0];
      if (mode !== 'government' && mode !== 'department') {
        process.stderr.write('usage: gongkai catalog index-prefix government|department\n');
        return 2;
      }
      const { setIndexPrefixMode } = await import('../../platform/publication/index.js');
      await setIndexPrefixMode(p, 'cli', mode);
      process.stdout.write(`索引号 prefix: ${mode}\n`);
      return 0;
    },
  },
  demo: {
    usage: 'demo --documents N [--seed S]   add N reproducible synthetic published documents',
    async run(args, p) {
      const i = args.indexOf('--documents');
      const n = Number(args[i + 1]);
      if (i < 0 || !Number.isInteger(n) || n < 1) {
        process.stderr.write('usage: gongkai demo --documents N [--seed S]\n');
        return 2;
      }
      const s = args.indexOf('--seed');
      const seed = s >= 0 ? Number(args[s + 1]) || 42 : 42;
      const t0 = Date.now();
      const done = await (await import('./demo.js')).demoDocuments(p, n, seed);
      process.stdout.write(`added ${done} documents in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      return 0;
    },
  },
};
