// Every text of decisions in Chinese and English, one file per part under messages/ (keys
// prefixed `decisions.`; a key defined twice is a test failure, test/decisions/messages.test.ts).
import * as common from './messages/common.js';
import * as stages from './messages/stages.js';
import * as consultations from './messages/consultations.js';
import * as comments from './messages/comments.js';
import * as report from './messages/report.js';
import * as hearings from './messages/hearings.js';
import * as console from './messages/console.js';
import * as moderation from './messages/moderation.js';

export const messageParts = { common, stages, consultations, comments, report, hearings, console, moderation };
const parts = Object.values(messageParts);
const zh: Record<string, string> = Object.assign({}, ...parts.map((x) => x.zh));
const en: Record<string, string> = Object.assign({}, ...parts.map((x) => x.en));

export const decisionMessages = { 'zh-CN': zh, en };
