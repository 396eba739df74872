// A calendar file read off the event loop (see parseCalendarGuarded): ical.js can loop forever on
// some impossible recurrence rules (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) and adds a DURATION month
// by month, so an iCalendar file is parsed here, in a thread the caller terminates when it runs too long.
import { parentPort } from 'node:worker_threads';
import { parseCalendar, type ImportFormat, type ParsedCalendar } from './import.js';

export interface ImportRequest {
  input: string | Uint8Array;
  format?: ImportFormat;
  filename?: string;
}

export type ImportReply = { ready: true } | { ok: true; report: ParsedCalendar } | { ok: false; message: string };

const port = parentPort!;
port.on('message', (m: ImportRequest) => {
  let reply: ImportReply;
  try {
    reply = { ok: true, report: parseCalendar(m.input, m.format, m.filename) };
  } catch (err: any) {
    reply = { ok: false, message: String(err?.message ?? err) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies ImportReply);
