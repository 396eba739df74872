// `gongkai inspection …`: re-run a published draw record from a file (docs/draws.md).
import { readFileSync } from 'node:fs';
import type { CliCommand } from '../../platform/module.js';
import { localParams, t, type Locale } from '../../platform/i18n/index.js';
import { verifyDraw } from './service/draw.js';

/** The language of the output: --lang, else the shell's (LC_ALL, LC_MESSAGES, LANG: zh… is Chinese), else English. */
function cliLocale(args: string[]): Locale {
  const i = args.indexOf('--lang');
  // The shell's locale is the terminal's language, not a setting of the platform.
  const asked = i >= 0 ? args[i + 1] : (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '');
  return /^zh/i.test(asked ?? '') ? 'zh-CN' : 'en';
}

export const enforcementCli: Record<string, CliCommand> = {
  'inspection verify-draw': {
    usage: 'inspection verify-draw FILE [--lang zh-CN|en]   re-run a draw record (gongkai-draw/1, as GET /api/v1/inspections/draws/ID gives it): match (exit 0) or the first difference (exit 1)',
    async run(args) {
      const locale = cliLocale(args);
      const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--lang');
      if (!file) {
        process.stderr.write('usage: gongkai inspection verify-draw FILE [--lang zh-CN|en]\n');
        return 2;
      }
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        process.stderr.write(`${t(locale, 'enforcement.draw.cli_unreadable', { file, reason: (err as Error).message })}\n`);
        return 2;
      }
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        record = null; // not JSON: the verdict says the format is wrong
      }
      const v = verifyDraw(record);
      if (v.match) {
        process.stdout.write(`${t(locale, 'enforcement.draw.verdict.match')}\n`);
        return 0;
      }
      process.stdout.write(`${t(locale, 'enforcement.draw.verdict.difference', { text: t(locale, v.difference, localParams(locale, v.params)) })}\n`);
      return 1;
    },
  },
};
