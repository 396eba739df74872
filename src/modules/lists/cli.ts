// `gongkai lists …`: show the lists, export an edition, import (draft) and approve from the shell.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliCommand } from '../../platform/module.js';
import { t, translator } from '../../platform/i18n/index.js';
import { tableSource } from '../../platform/files/table.js';
import { HttpError } from '../../platform/errors.js';
import { toCsv, toXlsx } from './service/engine.js';
import { approveEdition, exportRows, getEdition, getList, getLists, importEdition, listEditions, requireType } from './service.js';

const opt = (args: string[], name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

export const listsCli: Record<string, CliCommand> = {
  'lists show': {
    usage: 'lists show   print every list with its current edition',
    async run(_args, p) {
      for (const l of await getLists(p.db)) process.stdout.write(`${l.id}\t${l.type}\t${l.department}\t${l.currentEdition ?? '-'}\t${l.title}\n`);
      return 0;
    },
  },
  'lists export': {
    usage: 'lists export LIST_ID FILE.csv|FILE.xlsx [--edition N]   write an edition in the import format',
    async run(args, p) {
      const list = await getList(p.db, Number(args[0]));
      const file = args[1];
      if (!list || !file || !/\.(csv|xlsx)$/i.test(file)) {
        process.stderr.write('usage: gongkai lists export LIST_ID FILE.csv|FILE.xlsx [--edition N]\n');
        return 2;
      }
      const n = Number(opt(args, '--edition') ?? list.currentEdition);
      const ed = (await listEditions(p.db, list.id)).find((e) => e.number === n);
      if (!ed) {
        process.stderr.write(`no published edition ${n}\n`);
        return 1;
      }
      const rows = exportRows(requireType(list.type), (await getEdition(p.db, ed.id))!.items);
      writeFileSync(file, /\.xlsx$/i.test(file) ? toXlsx(rows, list.type) : toCsv(rows));
      process.stdout.write(`${rows.length - 1} items of edition ${n} written to ${file}\n`);
      return 0;
    },
  },
  'lists import': {
    usage: 'lists import LIST_ID FILE.csv|FILE.xlsx --reason TEXT --doc-no 文号 [--dry-run] [--approve]   all-or-nothing import as a draft edition',
    async run(args, p) {
      const list = await getList(p.db, Number(args[0]));
      const file = args[1];
      const reason = opt(args, '--reason') ?? '';
      const docNo = opt(args, '--doc-no') ?? '';
      if (!list || !file) {
        process.stderr.write('usage: gongkai lists import LIST_ID FILE --reason TEXT --doc-no 文号 [--dry-run] [--approve]\n');
        return 2;
      }
      let buf: Buffer;
      try {
        buf = readFileSync(file);
      } catch (err) {
        process.stderr.write(`cannot read ${file}: ${(err as Error).message}\n`);
        return 2;
      }
      try {
        const r = await importEdition(p, 'cli', list.id, { buf, name: basename(file) }, { reason, docNo, dryRun: args.includes('--dry-run') });
        if (r.format) process.stdout.write(`${tableSource(translator('en'), { format: r.format, encoding: r.encoding })}\n`);
        for (const x of r.problems) process.stderr.write(`row ${x.row}, ${x.field}: ${t('en', x.problem)}\n`);
        if (r.problems.length) return 1;
        process.stdout.write(`${r.rows} rows valid: ${r.changes?.added} added, ${r.changes?.removed} removed, ${r.changes?.changed} changed\n`);
        if (r.editionId && args.includes('--approve')) {
          const e = await approveEdition(p, 'cli', r.editionId);
          process.stdout.write(`published edition ${e.number} (${e.indexNo})\n`);
        } else if (r.editionId) process.stdout.write(`draft edition ${r.editionId} awaits approval\n`);
        return 0;
      } catch (err) {
        if (err instanceof HttpError) {
          process.stderr.write(`${t('en', err.message)}${err.fields ? ' ' + JSON.stringify(err.fields) : ''}\n`);
          return 1;
        }
        throw err;
      }
    },
  },
};
