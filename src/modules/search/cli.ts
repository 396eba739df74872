// `gongkai search reindex`: rebuild the index from everything published.
import type { CliCommand } from '../../platform/module.js';
import { progressBar, reindex } from './service.js';

export const searchCli: Record<string, CliCommand> = {
  'search reindex': {
    usage: 'search reindex [--clear]        rebuild the search index from everything published (progress on stderr)',
    async run(args, p) {
      const started = Date.now();
      const tty = process.stderr.isTTY;
      let last = 0;
      const r = await reindex(p, {
        clear: args.includes('--clear'),
        onProgress: (done, total) => {
          if (!tty && done !== total && Date.now() - last < 2000) return;
          last = Date.now();
          process.stderr.write(progressBar(done, total, started) + (tty ? '' : '\n'));
        },
      });
      process.stderr.write('\n');
      process.stdout.write(`indexed ${r.indexed}, removed ${r.removed} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      return 0;
    },
  },
};
