// Every text of enforcement in Chinese and English, one file per part under messages/ (keys
// prefixed `enforcement.`; a key defined twice is a test failure, test/enforcement/messages.test.ts).
import * as common from './messages/common.js';
import * as hub from './messages/hub.js';
import * as registers from './messages/registers.js';
import * as inspections from './messages/inspections.js';
import * as draws from './messages/draws.js';
import * as record from './messages/record.js';
import * as repair from './messages/repair.js';
import * as decisions from './messages/decisions.js';

const parts = [common, hub, registers, inspections, draws, record, repair, decisions];
const zh: Record<string, string> = Object.assign({}, ...parts.map((x) => x.zh));
const en: Record<string, string> = Object.assign({}, ...parts.map((x) => x.en));

// draws and results: coded values of audit entries in words (a result, a task state).
for (const m of [zh, en]) {
  for (const k of Object.keys(m)) {
    const r = /^enforcement\.result\.(.+)$/.exec(k);
    if (r) m[`audit.value.enf_check.result.${r[1]}`] = m[`audit.value.enf_check.previous.${r[1]}`] = m[k];
    const st = /^enforcement\.state\.(.+)$/.exec(k);
    if (st) m[`audit.value.enf_check.taskState.${st[1]}`] = m[k];
  }
}

/** The end reasons in the audit log's words (display and credit repair). */
for (const m of [zh, en]) for (const r of ['expired', 'repaired', 'revoked', 'changed']) for (const e of ['enf_decision', 'enf_repair']) m[`audit.value.${e}.endReason.${r}`] = m[`enforcement.end.${r}`];

export const enforcementMessages = { 'zh-CN': zh, en };
