// Public JSON API of the calendar (the contract in issue 3) and of the rule catalogue; the staff
// import endpoint; a clock's "how was this computed" for public subjects.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import { ErrorSchema } from '../../platform/http/schemas.js';
import type { Platform } from '../../platform/platform.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { can } from '../../platform/auth/policy.js';
import { addMonths, addNaturalDays, addWorkdays, dayIndex, ensureCalendar, isWorkday, weekday, yearSchedule, type DueResult } from '../../platform/calendar/index.js';
import type { ImportedDay } from '../../platform/calendar/import.js';
import { getClock, listRules, PAUSE_KINDS, ruleVersions, saveRule, type RuleInput } from '../../platform/deadlines/index.js';
import { clockAction, importCalendar, type ClockAction } from './service.js';
import { actorName } from '../org/service.js';

const Skipped = Type.Object({ date: Type.String(), reason: Type.String({ enum: ['weekend', 'holiday', 'pause'] }), name: Type.Optional(Type.String()) });
const DueOut = Type.Object({
  start: Type.String({ format: 'date' }),
  workdays: Type.Optional(Type.Integer()),
  days: Type.Optional(Type.Integer()),
  months: Type.Optional(Type.Integer()),
  due: Type.String({ format: 'date' }),
  provisional: Type.Boolean(),
  counted: Type.Array(Type.String()),
  skipped: Type.Array(Skipped),
});

const RuleOut = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  unit: Type.String({ enum: ['workdays', 'days', 'months', 'hours'] }),
  amount: Type.Integer(),
  kind: Type.String({ enum: ['limit', 'minimum'] }),
  maxExtensions: Type.Integer(),
  extensionLimit: Type.Integer(),
  pausable: Type.Boolean(),
  legalBasis: Type.String(),
  note: Type.String(),
  createdAt: Type.String(),
});

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A clock as getClock() gives it; the public view leaves out who did what. */
const clockFields = {
  id: Type.Integer(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  title: Type.String(),
  url: Type.String(),
  publicSubject: Type.Boolean(),
  departmentId: Nullable(Type.Integer()),
  rule: Type.String(),
  ruleVersion: Type.Integer(),
  ruleName: Type.String(),
  ruleNameEn: Type.String(),
  legalBasis: Type.String(),
  kind: Type.String({ enum: ['limit', 'minimum'] }),
  unit: Type.String({ enum: ['workdays', 'days', 'months', 'hours'], description: "the unit counted (the clock's own when it has one, else the rule's)" }),
  amount: Type.Integer({ description: 'the amount counted, extensions included' }),
  ownLimit: Type.Boolean(),
  ruleUnit: Type.String({ enum: ['workdays', 'days', 'months', 'hours'] }),
  ruleAmount: Type.Integer(),
  start: Type.String({ format: 'date' }),
  startAt: Nullable(Type.String({ description: 'hour clocks: Asia/Shanghai wall time YYYY-MM-DDTHH:MM' })),
  due: Type.String({ format: 'date' }),
  dueAt: Nullable(Type.String()),
  provisional: Type.Boolean(),
  state: Type.String({ enum: ['running', 'paused', 'stopped', 'completed'] }),
  status: Type.String({ enum: ['normal', 'warning', 'due-today', 'overdue', 'seriously-overdue', 'finished', 'completed', 'completed-late', 'stopped'] }),
  closedOn: Nullable(Type.String()),
  stopReason: Nullable(Type.String()),
  explanation: Type.Object({ counted: Type.Array(Type.String()), skipped: Type.Array(Type.Object({ date: Type.String(), reason: Type.String({ enum: ['weekend', 'holiday', 'pause', 'rolled'] }), name: Type.Optional(Type.String()) })) }),
};
const PublicClockOut = Type.Object({
  ...clockFields,
  pauses: Type.Array(Type.Object({ kind: Type.String(), from: Type.String(), to: Nullable(Type.String()) })),
  extensions: Type.Array(Type.Object({ workdays: Type.Integer(), reason: Type.String(), at: Type.String() })),
  history: Type.Array(Type.Object({ at: Type.String(), action: Type.String() })),
});
const ClockOut = Type.Object({
  ...clockFields,
  responsibleUserId: Nullable(Type.Integer()),
  pauses: Type.Array(Type.Object({ kind: Type.String(), reason: Type.String(), from: Type.String(), to: Nullable(Type.String()) })),
  extensions: Type.Array(Type.Object({ workdays: Type.Integer(), reason: Type.String(), approver: Type.String(), at: Type.String() })),
  history: Type.Array(Type.Object({ at: Type.String(), actor: Type.String(), action: Type.String(), details: Type.Record(Type.String(), Type.Unknown()) })),
});

function intParam(raw: string | undefined, field: string, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > max) throw badRequest('calendar.err.bad_input', { [field]: 'deadlines.err.amount' });
  return Number(raw);
}

/** Parses ?start=&workdays= | days= | months= (exactly one); throws 400 on anything else. */
export function dueQuery(q: { start?: string; workdays?: string; days?: string; months?: string }): { start: string; unit: 'workdays' | 'days' | 'months'; n: number } {
  if (dayIndex(q.start) === null) throw badRequest('calendar.err.bad_input', { start: 'deadlines.err.date' });
  const wd = intParam(q.workdays, 'workdays', 3650);
  const d = intParam(q.days, 'days', 3650);
  const m = intParam(q.months, 'months', 120);
  const given = [wd, d, m].filter((x) => x !== undefined).length;
  if (given !== 1) throw badRequest('calendar.err.bad_input', { workdays: 'calendar.err.bad_input' });
  if (wd !== undefined) return { start: q.start!, unit: 'workdays', n: wd };
  if (d !== undefined) return { start: q.start!, unit: 'days', n: d };
  return { start: q.start!, unit: 'months', n: m! };
}

export function computeDueQuery(x: { start: string; unit: 'workdays' | 'days' | 'months'; n: number }): DueResult {
  try {
    return x.unit === 'workdays' ? addWorkdays(x.start, x.n) : x.unit === 'days' ? addNaturalDays(x.start, x.n) : addMonths(x.start, x.n);
  } catch (err) {
    if (err instanceof RangeError) throw badRequest('calendar.err.bad_input', { start: 'deadlines.err.date' });
    throw err;
  }
}

export async function calendarApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { start?: string; workdays?: string; days?: string; months?: string } }>(
    '/api/v1/calendar/due',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Due date: N working days (workdays=), N natural days (days=) or N months (months=) after start, with the counted and skipped days',
        description:
          'The start day is not counted; the due date is the N-th working day after it (workdays, 0..3650). days= counts natural days and months= calendar months (0..120; a missing day is the month\'s last day); both roll a due date that falls on a weekend or holiday forward to the next working day. provisional = a year without a published holiday schedule was involved (weekends only).',
        querystring: Type.Object({ start: Type.Optional(Type.String({ maxLength: 20 })), workdays: Type.Optional(Type.String({ maxLength: 10 })), days: Type.Optional(Type.String({ maxLength: 10 })), months: Type.Optional(Type.String({ maxLength: 10 })) }, { additionalProperties: false }),
        response: { 200: DueOut, 400: ErrorSchema },
      },
    },
    async (req, reply) => {
      await ensureCalendar(p.db);
      const x = dueQuery(req.query);
      const r = computeDueQuery(x);
      reply.header('cache-control', 'public, max-age=300');
      return { start: r.start, [x.unit]: x.n, due: r.due, provisional: r.provisional, counted: r.counted, skipped: r.skipped.map((s) => ({ date: s.date, reason: s.reason === 'rolled' ? 'weekend' : s.reason, ...(s.name !== undefined ? { name: s.name } : {}) })) };
    },
  );

  app.get<{ Querystring: { date?: string } }>(
    '/api/v1/calendar/is-workday',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Is this date a working day? reason: workday, makeup-day (调休上班, with its holiday name), weekend or holiday (with its name)',
        querystring: Type.Object({ date: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ date: Type.String(), workday: Type.Boolean(), reason: Type.String({ enum: ['workday', 'makeup-day', 'weekend', 'holiday'] }), name: Type.Optional(Type.String()), provisional: Type.Boolean() }), 400: ErrorSchema },
      },
    },
    async (req, reply) => {
      await ensureCalendar(p.db);
      if (dayIndex(req.query.date) === null) throw badRequest('calendar.err.bad_input', { date: 'deadlines.err.date' });
      const r = isWorkday(req.query.date!);
      reply.header('cache-control', 'public, max-age=300');
      return { date: req.query.date!, workday: r.workday, reason: r.reason, ...(r.name !== undefined ? { name: r.name } : {}), provisional: r.provisional };
    },
  );

  app.get<{ Params: { year: string } }>(
    '/api/v1/calendar/:year',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['public'],
        summary: "Every non-ordinary day of a year (holiday or make-up workday, with its name) and whether the year's schedule is published",
        params: Type.Object({ year: Type.String({ maxLength: 10 }) }),
        response: { 200: Type.Object({ year: Type.Integer(), published: Type.Boolean(), days: Type.Array(Type.Object({ date: Type.String(), kind: Type.String({ enum: ['holiday', 'workday'] }), name: Type.String() })) }), 400: ErrorSchema },
      },
    },
    async (req, reply) => {
      await ensureCalendar(p.db);
      const y = req.params.year;
      if (!/^\d{4}$/.test(y) || Number(y) < 1900 || Number(y) > 2299) throw badRequest('calendar.err.bad_input', { year: 'calendar.err.year' });
      reply.header('cache-control', 'public, max-age=300');
      return yearSchedule(Number(y));
    },
  );

  app.post<{ Body: { text: string; format?: 'json' | 'csv' | 'ics'; dryRun?: boolean; filename?: string }; Querystring: { dryRun?: string } }>(
    '/api/v1/calendar/import',
    {
      config: { permission: 'calendar.edit' },
      schema: {
        tags: ['staff'],
        summary: 'Import holiday schedules (JSON, CSV or iCalendar text); each year in the file replaces that year. Returns the validation report with every day understood; dryRun: true (or ?dryRun=1) previews without saving.',
        security: [{ bearer: [] }],
        querystring: Type.Object({ dryRun: Type.Optional(Type.String({ enum: ['1', 'true', '0', 'false'] })) }, { additionalProperties: false }),
        body: Type.Object({ text: Type.String({ maxLength: 2_000_000 }), format: Type.Optional(Type.String({ enum: ['json', 'csv', 'ics'] })), dryRun: Type.Optional(Type.Boolean()), filename: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            saved: Type.Boolean(),
            format: Type.String(),
            years: Type.Array(
              Type.Object({
                year: Type.Integer(),
                published: Type.Boolean(),
                days: Type.Integer(),
                entries: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), weekday: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday' }), kind: Type.String({ enum: ['holiday', 'workday'] }), name: Type.String(), line: Type.Optional(Type.Integer()), source: Type.Optional(Type.String()), recurring: Type.Optional(Type.Boolean()) }), { description: 'Every day understood, with the line (CSV row, iCalendar BEGIN:VEVENT) and event it came from' }),
              }),
            ),
            errors: Type.Array(Type.Object({ line: Type.Optional(Type.Integer()), date: Type.Optional(Type.String()), key: Type.String(), message: Type.String() })),
            warnings: Type.Array(Type.Object({ line: Type.Optional(Type.Integer()), date: Type.Optional(Type.String()), key: Type.String(), message: Type.String() })),
          }),
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
        },
      },
    },
    async (req) => {
      const dryRun = req.body.dryRun === true || req.query.dryRun === '1' || req.query.dryRun === 'true';
      const r = await importCalendar(p, actorName(req.user!), req.body.text, { format: req.body.format, dryRun, filename: req.body.filename });
      const msg = (x: { key: string; params?: Record<string, string | number>; line?: number; date?: string }) => ({ ...(x.line !== undefined ? { line: x.line } : {}), ...(x.date !== undefined ? { date: x.date } : {}), key: x.key, message: req.t(x.key, x.params) });
      const entry = (d: ImportedDay) => ({ date: d.date, weekday: weekday(d.date), kind: d.kind, name: d.name, ...(d.line !== undefined ? { line: d.line } : {}), ...(d.source !== undefined ? { source: d.source } : {}), ...(d.recurring ? { recurring: true } : {}) });
      return { saved: r.saved, format: r.report.format, years: r.report.years.map((y) => ({ year: y.year, published: y.published, days: y.days.length, entries: y.days.map(entry) })), errors: r.report.errors.map(msg), warnings: r.report.warnings.map(msg) };
    },
  );

  app.get(
    '/api/v1/deadline-rules',
    { config: { permission: 'public' }, schema: { tags: ['public'], summary: 'The time-limit rule catalogue (current versions) with legal basis', response: { 200: Type.Object({ items: Type.Array(RuleOut) }) } } },
    async () => ({ items: (await listRules(p.db)).map(({ id: _id, createdBy: _b, ...r }) => r) }),
  );

  app.get<{ Params: { code: string } }>(
    '/api/v1/deadline-rules/:code',
    { config: { permission: 'public' }, schema: { tags: ['public'], summary: 'Every version of one rule, newest first', params: Type.Object({ code: Type.String({ maxLength: 60 }) }), response: { 200: Type.Object({ items: Type.Array(RuleOut) }), 404: ErrorSchema } } },
    async (req) => {
      const v = await ruleVersions(p.db, req.params.code);
      if (!v.length) throw notFound();
      return { items: v.map(({ id: _id, createdBy: _b, ...r }) => r) };
    },
  );

  app.put<{ Params: { code: string }; Body: Omit<RuleInput, 'code'> }>(
    '/api/v1/deadline-rules/:code',
    {
      config: { permission: 'deadlines.edit' },
      schema: {
        tags: ['staff'],
        summary: 'Save a rule as a new version (creates the rule when the code is new). Running clocks keep the version they started under.',
        security: [{ bearer: [] }],
        params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
        body: Type.Object(
          {
            nameZh: Type.String({ minLength: 1, maxLength: 100 }),
            nameEn: Type.String({ maxLength: 100 }),
            unit: Type.String({ enum: ['workdays', 'days', 'months', 'hours'] }),
            amount: Type.Integer({ minimum: 0, maximum: 8760 }),
            kind: Type.Optional(Type.String({ enum: ['limit', 'minimum'] })),
            maxExtensions: Type.Integer({ minimum: 0, maximum: 10 }),
            extensionLimit: Type.Integer({ minimum: 0, maximum: 3650 }),
            pausable: Type.Boolean(),
            legalBasis: Type.String({ minLength: 1, maxLength: 1000 }),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: RuleOut, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (req) => {
      const { id: _id, createdBy: _b, ...r } = await p.tx((t) => saveRule(p, t, { ...req.body, code: req.params.code } as RuleInput, actorName(req.user!)));
      return r;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/clocks/:id',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['public'],
        summary: 'A clock of a public subject: rule, legal basis, due date, status and how the due date was computed',
        params: Type.Object({ id: Type.String({ maxLength: 12 }) }),
        response: { 200: PublicClockOut, 404: ErrorSchema },
      },
    },
    async (req) => {
      if (!/^\d{1,9}$/.test(req.params.id)) throw notFound();
      const c = await getClock(p.db, Number(req.params.id));
      if (!c || !c.publicSubject) throw notFound();
      // The public sees the computation, not who did what.
      const { history: _h, responsibleUserId: _r, ...pub } = c;
      return { ...pub, pauses: c.pauses.map((x) => ({ kind: x.kind, from: x.from, to: x.to })), extensions: c.extensions.map((x) => ({ workdays: x.workdays, reason: x.reason, at: x.at })), history: c.history.map((h) => ({ at: h.at, action: h.action })) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/supervision/clocks/:id',
    {
      config: { permission: 'supervision.read' },
      schema: {
        tags: ['staff'],
        summary: "A clock with its full history and explanation (the caller's departments; supervisors see all)",
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ maxLength: 12 }) }),
        response: { 200: ClockOut, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => {
      if (!/^\d{1,9}$/.test(req.params.id)) throw notFound();
      const c = await getClock(p.db, Number(req.params.id));
      if (!c || !can(req.user, 'supervision.read', { departmentId: c.departmentId })) throw notFound();
      return c;
    },
  );

  for (const action of ['pause', 'resume', 'extend'] as ClockAction[]) {
    app.post<{ Params: { id: string }; Body: { reason?: string; days?: number; kind?: string } }>(
      `/api/v1/clocks/:id/${action}`,
      {
        config: { permission: 'clock.manage' },
        schema: {
          tags: ['staff'],
          summary:
            action === 'pause'
              ? `Pause a running clock of a pausable rule (kind ${PAUSE_KINDS.join(' | ')}), with a reason`
              : action === 'resume'
                ? 'Resume a paused clock, with a reason'
                : "Extend an open clock within its rule's limits; days in the clock's unit (default: the rule's per-extension limit), with a reason",
          security: [{ bearer: [] }],
          params: Type.Object({ id: Type.String({ maxLength: 12 }) }),
          // Checked by clockAction so that a missing reason is a 400 naming `reason`.
          body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 8760 })), kind: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false }),
          response: { 200: ClockOut, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
        },
      },
      async (req) => {
        if (!/^\d{1,9}$/.test(req.params.id)) throw notFound();
        await clockAction(p, req.user!, Number(req.params.id), action, req.body ?? {});
        return (await getClock(p.db, Number(req.params.id)))!;
      },
    );
  }
}
