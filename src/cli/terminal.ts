// What `gongkai serve` shows a person at a terminal: a banner (address, data, demo accounts) and
// log lines as readable text. Without a terminal (a service manager, a container) the log stays
// pino's JSON lines for machines.
import type { Config } from '../config.js';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** A pino destination that turns each JSON line into "HH:MM:SS LEVEL message [error]". */
export function readableLog(out: { write(s: string): unknown } = process.stderr): { write(line: string): void } {
  return {
    write(line: string) {
      try {
        const o = JSON.parse(line) as { level?: number; time?: number; msg?: string; err?: { message?: string }; req?: { method?: string; url?: string }; res?: { statusCode?: number } };
        const time = new Date((o.time ?? Date.now()) + 8 * 3600_000).toISOString().slice(11, 19); // Beijing time
        const what = o.req ? `${o.req.method} ${o.req.url}` : o.res ? `→ ${o.res.statusCode}` : '';
        out.write(`${time} ${LEVELS[o.level ?? 30] ?? o.level} ${[o.msg, what, o.err?.message].filter(Boolean).join(' ')}\n`);
      } catch {
        out.write(line.endsWith('\n') ? line : line + '\n');
      }
    },
  };
}

export interface BannerUser {
  username: string;
  name: string;
}

/** The start-up banner, in Chinese and English. */
/** Accounts of the enforcement demo shown as a group: inspectors, and the editors and approvers of 文旅局, 应急局, 生态环境分局. */
export const ENFORCEMENT_ACCOUNT = /^(?:[a-z-]+-inspector\d+|(?:whly|yjgl|sthj)-(?:editor|approver))$/;

export function banner(config: Pick<Config, 'publicUrl' | 'dataDir' | 'databaseUrl' | 'demo'>, demo: { password: string; users: BannerUser[] } | null): string {
  const db = config.databaseUrl ? `PostgreSQL ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}` : 'SQLite';
  const lines = [
    '',
    '  gongkai 公开 — 已启动 / running',
    '',
    `  网址 Address     ${config.publicUrl}/`,
    `  管理后台 Console ${config.publicUrl}/admin`,
    `  数据库 Database  ${db}`,
    `  数据目录 Data    ${config.dataDir}`,
  ];
  if (demo) {
    // The departments' appeal handlers (<department>-handler) and office heads (负责人, who approve
    // and sign replies to disclosure requests) on a few lines of their own.
    const handlers = demo.users.filter((u) => u.username.endsWith('-handler'));
    const heads = demo.users.filter((u) => u.username.endsWith('-approver') && u.name.endsWith('负责人'));
    // The enforcement departments' editors, approvers and inspectors (执法检查员) on lines of their own too.
    const enforcement = demo.users.filter((u) => !heads.includes(u) && ENFORCEMENT_ACCOUNT.test(u.username));
    const others = demo.users.filter((u) => !handlers.includes(u) && !heads.includes(u) && !enforcement.includes(u));
    const width = Math.max(...others.map((u) => u.username.length));
    lines.push('', `  演示账号 Demo accounts（密码 password: ${demo.password}）`);
    for (const u of others) lines.push(`    ${u.username.padEnd(width)}  ${u.name}`);
    if (heads.length) {
      lines.push('    各部门负责人 Office heads (disclosure replies and extensions):');
      for (let i = 0; i < heads.length; i += 5) lines.push(`      ${heads.slice(i, i + 5).map((u) => u.username).join('  ')}`);
    }
    if (enforcement.length) {
      lines.push('    执法部门账号 Enforcement editors, approvers and inspectors:');
      for (let i = 0; i < enforcement.length; i += 6) lines.push(`      ${enforcement.slice(i, i + 6).map((u) => u.username).join('  ')}`);
    }
    if (handlers.length) {
      lines.push('    各部门诉求承办人 Appeal handlers of the departments:');
      for (let i = 0; i < handlers.length; i += 6) lines.push(`      ${handlers.slice(i, i + 6).map((u) => u.username).join('  ')}`);
    }
    lines.push('', '  重置演示数据 Reset the demo: 停止后删除数据目录再启动 stop, delete the data directory, start again');
  }
  lines.push('  停止 Stop: Ctrl+C', '');
  return lines.join('\n') + '\n';
}
