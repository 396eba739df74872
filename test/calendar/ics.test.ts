// iCalendar import and export, with files as Outlook, Apple Calendar, Google Calendar and the
// `chinese-days` package write them: the exact days and kinds understood, the warnings shown (UTC
// and other zones converted to Beijing dates, timed events taken as whole days, recurrences
// expanded within the file's years), bounds against hostile rules; the export read back with
// ical.js (DTSTAMP, folding, escaping, UIDs unique per site) and imported again to the same days.
// Then the console's preview → confirm flow and the API's dry run, on a real app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ICAL from 'ical.js';
import iconv from 'iconv-lite';
import ical, { ICalEventClass, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { parseCalendar, parseCalendarGuarded, toIcs, type ParsedCalendar } from '../../src/platform/calendar/import.js';
import { MAX_OCCURRENCES_PER_EVENT } from '../../src/platform/calendar/ics.js';
import { SEED_SCHEDULES } from '../../src/platform/calendar/seed.js';
import { calendarMessages } from '../../src/modules/calendar/messages.js';
import { makeEnv, login, csrfFrom, form, type TestEnv } from '../helpers.js';

const CRLF = '\r\n';
const zh = calendarMessages['zh-CN'] as Record<string, string>;
const say = (key: string, params?: Record<string, string | number>) => (zh[key] ?? key).replace(/\{(\w+)\}/g, (m, k: string) => (params && k in params ? String(params[k]) : m));

/** Folds a content line at 75 octets without splitting a character, as RFC 5545 §3.1 (and Outlook) do. */
function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let limit = 75;
  for (const ch of line) {
    if (Buffer.byteLength(cur + ch) > limit) {
      out.push(cur);
      cur = '';
      limit = 74; // continuation lines start with a space
    }
    cur += ch;
  }
  out.push(cur);
  return out.join(`${CRLF} `);
}
const file = (lines: string[], eol = CRLF) => lines.map(fold).join(eol) + eol;

/** "date kind name" of every day understood, in date order. */
const understood = (r: ParsedCalendar) => r.years.flatMap((y) => y.days.map((d) => `${d.date} ${d.kind} ${d.name}`));
const shown = (list: ParsedCalendar['warnings']) => list.map((w) => `${w.line ?? '-'}: ${say(w.key, w.params)}`);
/** The line of the BEGIN:VEVENT of the event whose lines contain `needle` (what the report names). */
const eventAt = (text: string, needle: string) => {
  const lines = text.split(/\r\n|\n/);
  for (let i = lines.findIndex((l) => l.includes(needle)); i >= 0; i--) if (lines[i] === 'BEGIN:VEVENT') return i + 1;
  return -1;
};

describe('Outlook (VTIMEZONE "China Standard Time", TZID parameters, CRLF, folded lines)', () => {
  const text = file([
    'BEGIN:VCALENDAR',
    'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
    'VERSION:2.0',
    'METHOD:PUBLISH',
    'X-MS-OLK-FORCEINSPECTOROPEN:TRUE',
    'BEGIN:VTIMEZONE',
    'TZID:China Standard Time',
    'BEGIN:STANDARD',
    'DTSTART:16010101T000000',
    'TZOFFSETFROM:+0800',
    'TZOFFSETTO:+0800',
    'END:STANDARD',
    'END:VTIMEZONE',
    'BEGIN:VTIMEZONE',
    'TZID:UTC',
    'BEGIN:STANDARD',
    'DTSTART:16010101T000000',
    'TZOFFSETFROM:+0000',
    'TZOFFSETTO:+0000',
    'END:STANDARD',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    'CLASS:PUBLIC',
    'CREATED:20261110T020000Z',
    'DESCRIPTION:根据国务院办公厅通知，2027年1月1日至3日放假调休，共3天。请各单位妥善安排值班和安全保卫等工作，遇有重大突发事件按规定及时报告并妥善处置。\\n',
    'DTEND;VALUE=DATE:20270104',
    'DTSTAMP:20261110T020000Z',
    'DTSTART;VALUE=DATE:20270101',
    'PRIORITY:5',
    'SEQUENCE:0',
    'SUMMARY;LANGUAGE=zh-cn:元旦',
    'TRANSP:TRANSPARENT',
    'UID:040000008200E00074C5B7101A82E00800000000D0B1F1D2A7B0DC01000000000000000010000000',
    'X-MICROSOFT-CDO-BUSYSTATUS:FREE',
    'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'DTEND;TZID="China Standard Time":20270213T000000',
    'DTSTAMP:20261110T020000Z',
    'DTSTART;TZID="China Standard Time":20270205T000000',
    'SUMMARY;LANGUAGE=zh-cn:春节（农历正月初一，2027年2月5日至12日放假调休，共8天）',
    'UID:040000008200E00074C5B7101A82E00800000000D0B1F1D2A7B0DC01000000000000000010000001',
    'X-MICROSOFT-CDO-BUSYSTATUS:OOF',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'DTEND;TZID="China Standard Time":20270220T173000',
    'DTSTAMP:20261110T020000Z',
    'DTSTART;TZID="China Standard Time":20270220T090000',
    'SUMMARY;LANGUAGE=zh-cn:春节调休上班',
    'UID:040000008200E00074C5B7101A82E00800000000D0B1F1D2A7B0DC01000000000000000010000002',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'DTEND;TZID=UTC:20271007T160000',
    'DTSTAMP:20261110T020000Z',
    'DTSTART;TZID=UTC:20270930T160000',
    'SUMMARY;LANGUAGE=zh-cn:国庆节',
    'UID:040000008200E00074C5B7101A82E00800000000D0B1F1D2A7B0DC01000000000000000010000003',
    'END:VEVENT',
    'END:VCALENDAR',
  ]);

  it('is a real Outlook-shaped file: CRLF and folded lines', () => {
    expect(text.split(CRLF).some((l) => l.startsWith(' '))).toBe(true);
    expect(text.split(CRLF).every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });

  it('gives every day in Beijing dates: all-day, China Standard Time and UTC events; DTEND exclusive', () => {
    const r = parseCalendar(Buffer.from(text, 'utf8'), undefined, 'Calendar.ics');
    expect(r.errors).toEqual([]);
    expect(r.format).toBe('ics');
    expect(r.encoding).toBe('UTF-8');
    expect(understood(r)).toEqual([
      '2027-01-01 holiday 元旦',
      '2027-01-02 holiday 元旦',
      '2027-01-03 holiday 元旦',
      ...['05', '06', '07', '08', '09', '10', '11', '12'].map((d) => `2027-02-${d} holiday 春节（农历正月初一，2027年2月5日至12日放假调休，共8天）`),
      '2027-02-20 workday 春节调休上班',
      ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2027-10-${d} holiday 国庆节`),
    ]);
    const vevLine = (needle: string) => eventAt(text, needle);
    expect(shown(r.warnings)).toEqual([
      `${vevLine('春节调休上班')}: 事件“春节调休上班”：开始于北京时间2027-02-20 09:00，不是零点，按2027-02-20整天导入`,
      `${vevLine('国庆节')}: 事件“国庆节”：2027-09-30 16:00（UTC）即北京时间2027-10-01 00:00，按2027-10-01导入`,
    ]);
    // Where each day came from: the event's line and summary.
    const feb20 = r.years[0].days.find((d) => d.date === '2027-02-20')!;
    expect(feb20).toMatchObject({ line: vevLine('春节调休上班'), source: '春节调休上班' });
  });

  it('knows the Windows zone name without a VTIMEZONE, and says so when a zone is unknown', () => {
    const r = parseCalendar(file(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;TZID=China Standard Time:20270101T000000', 'DTEND;TZID=China Standard Time:20270102T000000', 'SUMMARY:元旦', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART;TZID=Tokyo Standard Time:20270102T010000', 'SUMMARY:元旦', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART;TZID=Mars Standard Time:20270103T000000', 'SUMMARY:元旦', 'END:VEVENT', 'END:VCALENDAR']));
    expect(understood(r)).toEqual(['2027-01-01 holiday 元旦', '2027-01-02 holiday 元旦', '2027-01-03 holiday 元旦']);
    // Tokyo 01:00 is Beijing 00:00 the same day: no date change, at midnight, no warning.
    expect(shown(r.warnings)).toEqual(['11: 事件“元旦”：无法识别的时区“Mars Standard Time”，按北京时间理解']);
  });
});

describe('Apple Calendar (X-APPLE properties, VALUE=DATE, yearly RRULE)', () => {
  const text = file([
    'BEGIN:VCALENDAR',
    'METHOD:PUBLISH',
    'VERSION:2.0',
    'X-WR-CALNAME:中国节假日',
    'PRODID:-//Apple Inc.//macOS 14.5//EN',
    'X-APPLE-CALENDAR-COLOR:#CC73E1',
    'X-WR-TIMEZONE:Asia/Shanghai',
    'CALSCALE:GREGORIAN',
    'BEGIN:VTIMEZONE',
    'TZID:Asia/Shanghai',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0900',
    'RRULE:FREQ=YEARLY;UNTIL=19910914T170000Z;BYMONTH=9;BYDAY=3SU',
    'DTSTART:19890917T020000',
    'TZNAME:GMT+8',
    'TZOFFSETTO:+0800',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:+0800',
    'DTSTART:19910414T020000',
    'TZNAME:GMT+8',
    'TZOFFSETTO:+0900',
    'RDATE:19910414T020000',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    'CREATED:20200101T000000Z',
    'UID:6A1D2B8C-0E5F-4C8B-9C56-0E8F4C1E1A01',
    'RRULE:FREQ=YEARLY',
    'DTEND;VALUE=DATE:20200102',
    'TRANSP:TRANSPARENT',
    'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
    'SUMMARY:元旦',
    'DTSTART;VALUE=DATE:20200101',
    'DTSTAMP:20261101T000000Z',
    'SEQUENCE:0',
    'X-APPLE-SPECIAL-DAY:WORK-HOLIDAY',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:6A1D2B8C-0E5F-4C8B-9C56-0E8F4C1E1A02',
    'RRULE:FREQ=YEARLY;UNTIL=20301001',
    'DTSTART;VALUE=DATE:20201001',
    'DTEND;VALUE=DATE:20201008',
    'SUMMARY:国庆节',
    'DTSTAMP:20261101T000000Z',
    'X-APPLE-SPECIAL-DAY:WORK-HOLIDAY',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:6A1D2B8C-0E5F-4C8B-9C56-0E8F4C1E1A03',
    'DTSTART;VALUE=DATE:20270205',
    'DTEND;VALUE=DATE:20270213',
    'SUMMARY:春节',
    'DTSTAMP:20261101T000000Z',
    'X-APPLE-SPECIAL-DAY:WORK-HOLIDAY',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:6A1D2B8C-0E5F-4C8B-9C56-0E8F4C1E1A04',
    'DTSTART;VALUE=DATE:20270220',
    'DTEND;VALUE=DATE:20270221',
    'SUMMARY:春节',
    'DTSTAMP:20261101T000000Z',
    'X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:6A1D2B8C-0E5F-4C8B-9C56-0E8F4C1E1A05',
    'DTSTART;TZID=Asia/Shanghai:20270405T000000',
    'DTEND;TZID=Asia/Shanghai:20270406T000000',
    'SUMMARY:清明节',
    'DTSTAMP:20261101T000000Z',
    'X-APPLE-SPECIAL-DAY:WORK-HOLIDAY',
    'END:VEVENT',
    'END:VCALENDAR',
  ]);

  it('expands the yearly holidays within the year of the file\'s single events, and reads Apple\'s kinds', () => {
    const r = parseCalendar(text);
    expect(r.errors).toEqual([]);
    expect(r.years.map((y) => y.year)).toEqual([2027]);
    expect(understood(r)).toEqual([
      '2027-01-01 holiday 元旦',
      ...['05', '06', '07', '08', '09', '10', '11', '12'].map((d) => `2027-02-${d} holiday 春节`),
      '2027-02-20 workday 春节',
      '2027-04-05 holiday 清明节',
      ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2027-10-${d} holiday 国庆节`),
    ]);
    expect(r.years[0].days.find((d) => d.date === '2027-10-03')).toMatchObject({ recurring: true, source: '国庆节', line: eventAt(text, 'A02') });
    expect(shown(r.warnings)).toEqual([`${eventAt(text, 'A01')}: 事件“元旦”是重复事件（FREQ=YEARLY）：在2027年内展开为1天`, `${eventAt(text, 'A02')}: 事件“国庆节”是重复事件（FREQ=YEARLY;UNTIL=20301001）：在2027年内展开为7天`]);
  });

  it('expands in the years a file declares (X-GONGKAI-YEAR), or where its recurring events start', () => {
    const only = (head: string[]) => file(['BEGIN:VCALENDAR', ...head, 'BEGIN:VEVENT', 'UID:a', 'RRULE:FREQ=YEARLY', 'DTSTART;VALUE=DATE:20270101', 'SUMMARY:元旦', 'END:VEVENT', 'END:VCALENDAR']);
    const declared = parseCalendar(only(['X-GONGKAI-YEAR:2027,2028']));
    expect(understood(declared)).toEqual(['2027-01-01 holiday 元旦', '2028-01-01 holiday 元旦']);
    const bare = parseCalendar(only([]));
    expect(understood(bare)).toEqual(['2027-01-01 holiday 元旦']);
    expect(shown(bare.warnings)[0]).toBe('-: 文件只有重复事件：按其开始日期所在的2027年展开（文件可用 X-GONGKAI-YEAR 声明年度）');
  });
});

describe('Google Calendar (UTC times, all-day dates, escapes, EXDATE, cancelled instances)', () => {
  const text = file([
    'BEGIN:VCALENDAR',
    'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:2027年节假日',
    'X-WR-TIMEZONE:Asia/Shanghai',
    'BEGIN:VEVENT',
    'DTSTART:20261231T160000Z',
    'DTEND:20270103T160000Z',
    'DTSTAMP:20261120T080000Z',
    'UID:0q1h2v3c4k5m6n7p8r9s@google.com',
    'CREATED:20261120T075900Z',
    'DESCRIPTION:放假\\; 1月1日至3日\\, 共3天',
    'LAST-MODIFIED:20261120T075900Z',
    'SEQUENCE:0',
    'STATUS:CONFIRMED',
    'SUMMARY:元旦\\; 放假',
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'DTSTART;VALUE=DATE:20270205',
    'DTEND;VALUE=DATE:20270213',
    'DTSTAMP:20261120T080000Z',
    'UID:1a2b3c4d5e6f7g8h9i0j@google.com',
    'SUMMARY:春节\\, 放假',
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'DTSTART:20270220T010000Z',
    'DTEND:20270220T090000Z',
    'DTSTAMP:20261120T080000Z',
    'UID:2b3c4d5e6f7g8h9i0j1k@google.com',
    'DESCRIPTION:上班\\; 记得打卡',
    'SUMMARY:春节调休上班',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'DTSTART;VALUE=DATE:20270501',
    'DTEND;VALUE=DATE:20270502',
    'RRULE:FREQ=DAILY;COUNT=6',
    'EXDATE;VALUE=DATE:20270503',
    'DTSTAMP:20261120T080000Z',
    'UID:3c4d5e6f7g8h9i0j1k2l@google.com',
    'SUMMARY:劳动节',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'DTSTART;VALUE=DATE:20270506',
    'DTEND;VALUE=DATE:20270507',
    'RECURRENCE-ID;VALUE=DATE:20270506',
    'DTSTAMP:20261120T080000Z',
    'UID:3c4d5e6f7g8h9i0j1k2l@google.com',
    'STATUS:CANCELLED',
    'SUMMARY:劳动节',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'DTSTART;VALUE=DATE:20270609',
    'DTEND;VALUE=DATE:20270610',
    'DTSTAMP:20261120T080000Z',
    'UID:4d5e6f7g8h9i0j1k2l3m@google.com',
    'STATUS:CANCELLED',
    'SUMMARY:端午节（草稿）',
    'END:VEVENT',
    'END:VCALENDAR',
  ]);

  it('imports the UTC holiday on its Beijing dates with a warning (it was a day early), and unescapes \\; and \\,', () => {
    const r = parseCalendar(Buffer.from(text));
    expect(r.errors).toEqual([]);
    expect(understood(r)).toEqual([
      '2027-01-01 holiday 元旦; 放假',
      '2027-01-02 holiday 元旦; 放假',
      '2027-01-03 holiday 元旦; 放假',
      ...['05', '06', '07', '08', '09', '10', '11', '12'].map((d) => `2027-02-${d} holiday 春节, 放假`),
      '2027-02-20 workday 春节调休上班',
      '2027-05-01 holiday 劳动节',
      '2027-05-02 holiday 劳动节',
      '2027-05-04 holiday 劳动节',
      '2027-05-05 holiday 劳动节',
    ]);
    const at = (needle: string) => eventAt(text, needle);
    expect(shown(r.warnings)).toEqual([
      `${at('UID:0q1h2v')}: 事件“元旦; 放假”：2026-12-31 16:00（UTC）即北京时间2027-01-01 00:00，按2027-01-01导入`,
      `${at('UID:2b3c4d')}: 事件“春节调休上班”：开始于北京时间2027-02-20 09:00，不是零点，按2027-02-20整天导入`,
      `${at('UID:4d5e6f')}: 事件“端午节（草稿）”已取消（STATUS:CANCELLED），未导入`,
      `${at('RECURRENCE-ID')}: 事件“劳动节”已取消（STATUS:CANCELLED），未导入`,
      `${at('RRULE:FREQ=DAILY')}: 事件“劳动节”是重复事件（FREQ=DAILY;COUNT=6）：在2027年内展开为4天`,
    ]);
  });

  it('the issue\'s case: a holiday written in UTC without DTEND is the Beijing day, never the day before', () => {
    const r = parseCalendar(file(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20261231T160000Z', 'SUMMARY:元旦', 'END:VEVENT', 'END:VCALENDAR']));
    expect(understood(r)).toEqual(['2027-01-01 holiday 元旦']);
    expect(r.years.map((y) => y.year)).toEqual([2027]);
    expect(r.warnings.map((w) => w.key)).toEqual(['calendar.warn.ics_converted']);
  });
});

describe('the chinese-days package', () => {
  // The package's data, read directly: its functions compute with dayjs in the process's time zone
  // and give days a day early under TZ=America/Los_Angeles (as CI runs). Same shapes as its API:
  // holidays (statutory, without ordinary weekends), make-up working days, and a day's name.
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as Record<'holidays' | 'workdays', Record<string, string>>;
  const inYear = (m: Record<string, string>, from: string) => Object.keys(m).filter((d) => d.startsWith(from.slice(0, 5))).sort();
  const cd = {
    getHolidaysInRange: (from: string, _to: string, _weekends: boolean) => inYear(data.holidays, from),
    getWorkdaysInRange: (from: string, _to: string, _weekends: boolean) => inYear(data.workdays, from),
    getDayDetail: (d: string) => ({ name: data.holidays[d] ?? data.workdays[d] ?? '' }),
  };
  /** The package's own answer: statutory holidays and make-up working days (weekend days that are working days). */
  const truth = (year: number) => {
    const holidays = cd.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).map((d) => `${d} holiday`);
    const workdays = cd.getWorkdaysInRange(`${year}-01-01`, `${year}-12-31`, true).filter((d) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())).map((d) => `${d} workday`);
    return [...holidays, ...workdays].sort();
  };
  const kinds = (r: ParsedCalendar) => r.years.flatMap((y) => y.days.map((d) => `${d.date} ${d.kind}`));

  /** An .ics made from the package's data the way its build script (scripts/build-ics.ts) makes dist/years/*.ics. */
  function generate(year: number, language: 'CN' | 'EN'): string {
    const cal = ical({ name: language === 'CN' ? '中国节假日' : 'Chinese Public Holidays', timezone: 'Asia/Shanghai', prodId: { company: 'yaavi.me', product: 'Chinese Days', language } });
    cal.timezone({ name: 'Asia/Shanghai', generator: (tzid) => `\nBEGIN:VTIMEZONE\nTZID:${tzid}\nX-LIC-LOCATION:${tzid}\nBEGIN:STANDARD\nTZOFFSETFROM:+0800\nTZOFFSETTO:+0800\nTZNAME:CST\nDTSTART:19700101T000000\nEND:STANDARD\nEND:VTIMEZONE` });
    const runs = (dates: string[]) => {
      // Consecutive days of the same holiday make one event, as the package merges them.
      const byName = new Map<string, string[]>();
      for (const d of dates) {
        const [en, cn] = cd.getDayDetail(d).name.split(',');
        const key = language === 'CN' ? cn : en;
        byName.set(key, [...(byName.get(key) ?? []), d]);
      }
      const out: { name: string; from: string; to: string }[] = [];
      for (const [name, ds] of byName) {
        ds.sort();
        let from = ds[0];
        let prev = ds[0];
        for (const d of [...ds.slice(1), '']) {
          if (d && Date.parse(d) - Date.parse(prev) === 86400_000) {
            prev = d;
            continue;
          }
          out.push({ name, from, to: prev });
          from = prev = d;
        }
      }
      return out;
    };
    const add = (dates: string[], holiday: boolean) => {
      for (const e of runs(dates)) {
        const mark = language === 'CN' ? (holiday ? '休' : '班') : holiday ? 'Holiday' : 'Workday';
        // ical-generator writes an all-day date from the Date's local fields: local midnights, so
        // the file is the same in any process time zone.
        const local = (ymd: string, plus = 0) => new Date(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10)) + plus);
        cal.createEvent({
          start: local(e.from),
          end: local(e.to, 1),
          allDay: true,
          description: mark,
          status: ICalEventStatus.CONFIRMED,
          summary: `${e.name}(${mark})`,
          location: language === 'CN' ? '北京' : 'Beijing',
          transparency: ICalEventTransparency.TRANSPARENT,
          class: ICalEventClass.PUBLIC,
          categories: [{ name: language === 'CN' ? '节假日' : 'Holidays' }],
          x: [
            { key: 'X-MICROSOFT-CDO-ALLDAYEVENT', value: 'TRUE' },
            { key: 'X-APPLE-SPECIAL-DAY', value: holiday ? 'WORK-HOLIDAY' : 'ALTERNATE-WORKDAY' },
          ],
        });
      }
    };
    add(cd.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false), true);
    add(truth(year).filter((d) => d.endsWith('workday')).map((d) => d.slice(0, 10)), false);
    return cal.toString();
  }

  it.each([2025, 2026])('a generated %i file (Chinese and English) gives exactly the package\'s holidays and make-up days', (year) => {
    for (const lang of ['CN', 'EN'] as const) {
      const text = generate(year, lang);
      expect(text).toContain('(班)'.replace('班', lang === 'CN' ? '班' : 'Workday'));
      const r = parseCalendar(Buffer.from(text));
      expect(r.errors).toEqual([]);
      expect(r.warnings).toEqual([]);
      expect(kinds(r)).toEqual(truth(year));
    }
    const r = parseCalendar(generate(year, 'CN'));
    // Names without the package's (休)/(班) markers.
    expect(r.years[0].days.find((d) => d.date === `${year}-01-01`)?.name).toBe('元旦');
  });

  it('the package\'s own dist/years/2026.ics: every day and kind as the package says, and as our seeded 2026', () => {
    const req = createRequire(import.meta.url);
    const dir = req.resolve('chinese-days/package.json').replace(/package\.json$/, 'dist/');
    const r = parseCalendar(readFileSync(`${dir}years/2026.ics`));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(kinds(r)).toEqual(truth(2026));
    // The make-up working days (CATEGORIES says 节假日 on them too: the (班) marker and Apple's property win).
    expect(r.years[0].days.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(kinds(r)).toEqual(SEED_SCHEDULES[2026].map((d) => `${d.date} ${d.kind}`).sort());
    // The subscription file holds three years; each is understood.
    const all = parseCalendar(readFileSync(`${dir}holidays.ics`));
    expect(all.errors).toEqual([]);
    expect(all.years.length).toBe(3);
    for (const y of all.years) expect(y.days.map((d) => `${d.date} ${d.kind}`)).toEqual(truth(y.year));
  });
});

describe('durations and encodings', () => {
  it('a DURATION covers its days (an 8-hour one its start day); a GB18030 file is read as such and says so', () => {
    const text = file(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270501', 'DURATION:P5D', 'SUMMARY:劳动节', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART;TZID=Asia/Shanghai:20270508T000000', 'DURATION:PT8H', 'SUMMARY:劳动节调休上班', 'END:VEVENT', 'END:VCALENDAR']);
    const utf8 = parseCalendar(Buffer.from(text));
    expect(understood(utf8)).toEqual(['2027-05-01 holiday 劳动节', '2027-05-02 holiday 劳动节', '2027-05-03 holiday 劳动节', '2027-05-04 holiday 劳动节', '2027-05-05 holiday 劳动节', '2027-05-08 workday 劳动节调休上班']);
    expect(utf8.warnings).toEqual([]);
    const gb = parseCalendar(iconv.encode(text, 'gb18030'));
    expect(gb.encoding).toBe('GB18030');
    expect(understood(gb)).toEqual(understood(utf8));
  });
});

describe('bounds and errors', () => {
  it('refuses a recurrence that does not end within the bound, naming the event and its line', () => {
    const text = file(['BEGIN:VCALENDAR', 'X-GONGKAI-YEAR:2027', 'BEGIN:VEVENT', 'UID:m', 'DTSTART:20270101T000000Z', 'RRULE:FREQ=MINUTELY', 'SUMMARY:每分钟', 'END:VEVENT', 'END:VCALENDAR']);
    const r = parseCalendar(text);
    expect(r.errors.map((e) => [e.line, say(e.key, e.params)])).toEqual([[3, `事件“每分钟”的重复规则展开${MAX_OCCURRENCES_PER_EVENT}次仍未结束，未导入（请检查 RRULE）`]]);
    const old = parseCalendar(file(['BEGIN:VCALENDAR', 'X-GONGKAI-YEAR:2027', 'BEGIN:VEVENT', 'UID:d', 'DTSTART;VALUE=DATE:19000101', 'RRULE:FREQ=DAILY', 'SUMMARY:每天', 'END:VEVENT', 'END:VCALENDAR']));
    expect(old.errors.map((e) => e.key)).toEqual(['calendar.err.ics_recur_limit']);
  });

  it('expands recurrences in a thread that is stopped when a rule loops (ical.js never returns on some impossible rules)', async () => {
    const rule = (r: string) => file(['BEGIN:VCALENDAR', 'X-GONGKAI-YEAR:2027', 'BEGIN:VEVENT', 'UID:h', 'DTSTART;VALUE=DATE:20270101', `RRULE:${r}`, 'SUMMARY:元旦', 'END:VEVENT', 'END:VCALENDAR']);
    // The same report as in this thread for a rule that ends…
    const fine = rule('FREQ=YEARLY;COUNT=3');
    expect(await parseCalendarGuarded(Buffer.from(fine), undefined, 'x.ics', 5000)).toEqual(parseCalendar(Buffer.from(fine), undefined, 'x.ics'));
    // …and an error, not a hung server, for one that never does.
    const hung = await parseCalendarGuarded(Buffer.from(rule('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30')), undefined, 'x.ics', 1500);
    expect(hung).toMatchObject({ format: 'ics', encoding: 'UTF-8', years: [], errors: [{ key: 'calendar.err.ics_timeout', params: { seconds: 2 } }] });
  }, 60_000);

  it('refuses an event longer than 60 days, and says on which line the file cannot be read', () => {
    const long = parseCalendar(file(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270101', 'DTEND;VALUE=DATE:20270401', 'SUMMARY:太长', 'END:VEVENT', 'END:VCALENDAR']));
    expect(long.errors.map((e) => [e.line, e.key])).toEqual([[2, 'calendar.err.ics_long']]);
    const bad = parseCalendar(file(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270101', 'RRULE:FREQ=YEARLY;BYMONTH=13', 'SUMMARY:坏规则', 'END:VEVENT', 'END:VCALENDAR']));
    expect(bad.errors.map((e) => [e.line, e.key])).toEqual([[4, 'calendar.err.ics_syntax']]);
    expect(bad.years).toEqual([]);
    const noStart = parseCalendar(file(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'SUMMARY:无日期', 'END:VEVENT', 'END:VCALENDAR']));
    expect(noStart.errors.map((e) => [e.line, e.key])).toEqual([[2, 'calendar.err.ics_event']]);
  });
});

describe('export', () => {
  const days = [...SEED_SCHEDULES[2026].map((d) => ({ date: d.date, kind: d.kind, name: d.name })), { date: '2026-12-31', kind: 'holiday' as const, name: '测试，逗号, 分号; 反斜杠\\ 和一个非常长的名称用来检查折行是否按八位组计算' }];
  const stamp = new Date('2026-11-20T08:00:00Z');
  const a = toIcs(2026, days, { baseUrl: 'https://www.example.gov.cn', siteCode: '2102000061', name: '2026年工作日历', now: stamp });
  const b = toIcs(2026, days, { baseUrl: 'https://zwgk.another.gov.cn:8443', name: '2026年工作日历', now: stamp });

  it('is RFC 5545: DTSTAMP in UTC, PRODID, folded CRLF lines of at most 75 octets, all-day dates with exclusive DTEND', () => {
    const lines = a.split(CRLF);
    expect(lines.at(-1)).toBe('');
    expect(lines.every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    expect(a).not.toMatch(/[^\r]\n/);
    const cal = new ICAL.Component(ICAL.parse(a));
    expect(cal.getFirstPropertyValue('prodid')).toBe('-//gongkai//calendar//ZH');
    expect(cal.getFirstPropertyValue('x-wr-timezone')).toBe('Asia/Shanghai');
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('2026年工作日历');
    const events = cal.getAllSubcomponents('vevent');
    expect(events).toHaveLength(days.length);
    for (const ev of events) {
      const st = ev.getFirstPropertyValue('dtstamp') as ICAL.Time;
      expect(st.zone?.tzid).toBe('UTC');
      expect(st.toJSDate().toISOString()).toBe(stamp.toISOString());
      const s = ev.getFirstPropertyValue('dtstart') as ICAL.Time;
      const e = ev.getFirstPropertyValue('dtend') as ICAL.Time;
      expect(s.isDate && e.isDate).toBe(true);
      expect(e.toUnixTime() - s.toUnixTime()).toBe(86400);
    }
    const last = events.at(-1)!;
    expect(last.getFirstPropertyValue('summary')).toBe(days.at(-1)!.name);
    expect(a).toContain('分号\\; 反斜杠\\\\');
  });

  it('has UIDs unique within the file and different on another site', () => {
    const uids = (s: string) => new ICAL.Component(ICAL.parse(s)).getAllSubcomponents('vevent').map((e) => String(e.getFirstPropertyValue('uid')));
    expect(new Set(uids(a)).size).toBe(days.length);
    expect(uids(a)[0]).toBe('20260101-holiday-2102000061@www.example.gov.cn');
    expect(uids(b)[0]).toBe('20260101-holiday@zwgk.another.gov.cn-8443');
    expect(uids(a).filter((u) => uids(b).includes(u))).toEqual([]);
  });

  it('round-trips: importing the export gives the same days, kinds and names, and the year', () => {
    const r = parseCalendar(Buffer.from(a));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.years.map((y) => y.year)).toEqual([2026]);
    expect(r.years[0].days.map((d) => ({ date: d.date, kind: d.kind, name: d.name }))).toEqual([...days].sort((x, y) => x.date.localeCompare(y.date)));
  });
});

describe('the console and the API: what was understood is shown before anything is saved', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeEnv({ overrides: { publicUrl: 'https://gov.example.cn' } });
  });
  afterAll(async () => env?.close());

  const google = file(['BEGIN:VCALENDAR', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', 'BEGIN:VEVENT', 'DTSTART:20321231T160000Z', 'DTEND:20330103T160000Z', 'UID:x@google.com', 'SUMMARY:元旦\\; 放假', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20330108', 'UID:y@google.com', 'SUMMARY:元旦调休上班', 'END:VEVENT', 'END:VCALENDAR']);

  const upload = async (cookie: string, csrf: string, name: string, bytes: Buffer) => {
    const boundary = '----gkics';
    const head = Buffer.from([`--${boundary}`, 'Content-Disposition: form-data; name="_csrf"', '', csrf, `--${boundary}`, `Content-Disposition: form-data; name="file"; filename="${name}"`, 'Content-Type: text/calendar', '', ''].join(CRLF));
    const payload = Buffer.concat([head, bytes, Buffer.from(`${CRLF}--${boundary}--${CRLF}`)]);
    return env.app.inject({ method: 'POST', url: '/admin/calendar/import', headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  };
  const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

  it('an upload shows every day (date, weekday, kind, name, source), the encoding and the warnings, and saves nothing until confirmed', async () => {
    const a = await login(env.app, 'admin');
    const page = await env.app.inject({ url: '/admin/calendar/import', headers: { cookie: a.cookie } });
    const up = await upload(a.cookie, csrfFrom(page.body), 'google.ics', Buffer.from(google));
    expect(up.statusCode).toBe(200);
    const text = decode(up.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
    expect(text).toContain('格式：ICS；编码：UTF-8');
    expect(text).toContain('2033-01-01 六 放假 元旦; 放假 第3行 · “元旦; 放假”');
    expect(text).toContain('2033-01-03 一 放假 元旦; 放假');
    expect(text).toContain('2033-01-08 六 调休上班 元旦调休上班');
    expect(text).toContain('2032-12-31 16:00（UTC）即北京时间2033-01-01 00:00，按2033-01-01导入');
    expect(text).toContain('2033年：3天放假、1天调休上班；将整体替换当前已保存的0天');
    expect((await env.app.inject('/api/v1/calendar/2033')).json().days).toEqual([]);

    // A confirmation whose file no longer gives what was shown saves nothing.
    const fields = { _csrf: csrfFrom(up.body), payload: decode(hidden(up.body, 'payload')), format: '', filename: 'google.ics', pasted: '', digest: decode(hidden(up.body, 'digest')) };
    const tampered = await env.app.inject({ method: 'POST', url: '/admin/calendar/import/confirm', headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...fields, digest: 'x'.repeat(32) }) });
    expect(tampered.statusCode).toBe(409);
    expect(tampered.body).toContain('文件内容与预览不一致');
    expect((await env.app.inject('/api/v1/calendar/2033')).json().days).toEqual([]);

    const ok = await env.app.inject({ method: 'POST', url: '/admin/calendar/import/confirm', headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/admin/calendar?imported=2033');
    expect((await env.app.inject({ url: ok.headers.location as string, headers: { cookie: a.cookie } })).body).toContain('已导入：2033');
    expect((await env.app.inject('/api/v1/calendar/2033')).json().days).toEqual([
      { date: '2033-01-01', kind: 'holiday', name: '元旦; 放假' },
      { date: '2033-01-02', kind: 'holiday', name: '元旦; 放假' },
      { date: '2033-01-03', kind: 'holiday', name: '元旦; 放假' },
      { date: '2033-01-08', kind: 'workday', name: '元旦调休上班' },
    ]);
    const audit = await env.p.db.selectFrom('audit_events').select('details').where('action', '=', 'calendar.import').execute();
    expect(audit.map((x) => JSON.parse(String(x.details)))).toContainEqual(expect.objectContaining({ format: 'ics', encoding: 'UTF-8', filename: 'google.ics' }));

    // The export of the saved year names this site in its UIDs and imports back to the same days.
    const ics = await env.app.inject({ url: '/admin/calendar/2033/ics', headers: { cookie: a.cookie } });
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toMatch(/^UID:20330101-holiday(-\w+)?@gov\.example\.cn\r$/m);
    expect(ics.body).toMatch(/^DTSTAMP:\d{8}T\d{6}Z\r$/m);
    expect(understood(parseCalendar(ics.body))).toEqual(['2033-01-01 holiday 元旦; 放假', '2033-01-02 holiday 元旦; 放假', '2033-01-03 holiday 元旦; 放假', '2033-01-08 workday 元旦调休上班']);
  });

  it('a file with errors is shown with its errors and no way to save it', async () => {
    const a = await login(env.app, 'admin');
    const page = await env.app.inject({ url: '/admin/calendar/import', headers: { cookie: a.cookie } });
    const up = await upload(a.cookie, csrfFrom(page.body), 'bad.ics', Buffer.from(file(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20340101', 'DTEND;VALUE=DATE:20340501', 'SUMMARY:太长', 'END:VEVENT', 'END:VCALENDAR'])));
    expect(up.statusCode).toBe(400);
    expect(up.body).toContain('文件有错误，未保存');
    expect(up.body).toContain('第2行：事件“太长”跨度超过60天');
    expect(up.body).not.toContain('/admin/calendar/import/confirm');
  });

  it('the API previews with dryRun (body or ?dryRun=1) listing each day with its source, and saves without', async () => {
    const dry = await env.api('POST', '/api/v1/calendar/import?dryRun=1', { as: 'admin', body: { text: google.replace(/2032/g, '2034').replace(/2033/g, '2035') } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ saved: false, format: 'ics', errors: [] });
    expect(dry.json().years[0].entries).toEqual([
      { date: '2035-01-01', weekday: 1, kind: 'holiday', name: '元旦; 放假', line: 3, source: '元旦; 放假' },
      { date: '2035-01-02', weekday: 2, kind: 'holiday', name: '元旦; 放假', line: 3, source: '元旦; 放假' },
      { date: '2035-01-03', weekday: 3, kind: 'holiday', name: '元旦; 放假', line: 3, source: '元旦; 放假' },
      { date: '2035-01-08', weekday: 1, kind: 'workday', name: '元旦调休上班', line: 9, source: '元旦调休上班' },
    ]);
    expect(dry.json().warnings.map((w: any) => [w.line, w.key])).toEqual([
      [3, 'calendar.warn.ics_converted'],
      [9, 'calendar.warn.makeup_weekday'],
    ]);
    expect((await env.app.inject('/api/v1/calendar/2035')).json().days).toEqual([]);
  });
});
