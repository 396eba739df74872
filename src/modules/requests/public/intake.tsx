// The online request form's routes. POST /disclosure-requests/new checks the answers and stores the
// identity proofs (images without their metadata), then answers 请核对您填写的信息 — nothing is
// registered yet: 修改 (POST …/new/edit) brings the form back with every value and proof kept,
// 确认提交 (POST …/new/confirm) checks again and registers the request once per ticket
// (platform/http/tickets.ts). The pages are public/form.tsx.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { HttpError } from '../../../platform/errors.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { browserOf, confirmOnce, keptFiles, keptFrom, newTicket, readTicket, ticketFresh } from '../../../platform/http/tickets.js';
import { checkRequest, MAX_PROOFS, PROOF_LIMIT, storeProof, submitRequest, type Registered, type RequestInput, type StoredProof } from '../service/intake.js';
import { tr } from '../views.js';
import { checkPage, duplicatePage, formPage, FORM_FIELDS, submittedPage, type FormValues } from './form.js';

/** The form's text fields out of a body (form or multipart fields), each cut to a sane length. */
export function pick(raw: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const k of FORM_FIELDS) if (typeof raw[k] === 'string') values[k] = (raw[k] as string).slice(0, 6000);
  return values;
}

export function toInput(values: FormValues, proofs: StoredProof[], channel: RequestInput['channel'] = 'online', arrivedOn?: string): RequestInput {
  return {
    agency: values.agency ?? '',
    requesterType: values.requesterType ?? '',
    requesterName: values.requesterName ?? '',
    idKind: values.idKind ?? '',
    idNumber: values.idNumber ?? '',
    orgContact: values.orgContact,
    contactPhone: values.contactPhone,
    contactEmail: values.contactEmail,
    contactAddress: values.contactAddress,
    contactFax: values.contactFax,
    infoName: values.infoName ?? '',
    infoDocNo: values.infoDocNo,
    infoDescription: values.infoDescription ?? '',
    formWanted: values.formWanted ?? '',
    channelWanted: values.channelWanted ?? '',
    channel,
    arrivedOn,
    idProofs: proofs,
  };
}

/**
 * A form body: its text fields, and the uploaded identity proofs (stored, images cleaned) or the
 * errors they gave. A CSRF failure (the first part is not the token) is thrown, not shown.
 */
export async function readForm(p: Platform, req: FastifyRequest): Promise<{ raw: Record<string, string>; proofs: StoredProof[]; fields: Record<string, string> }> {
  const raw: Record<string, string> = {};
  const proofs: StoredProof[] = [];
  const fields: Record<string, string> = {};
  if (!req.isMultipart()) {
    for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (typeof v === 'string') raw[k] = v.slice(0, 6000);
    return { raw, proofs, fields };
  }
  const files: { buf: Buffer; name: string }[] = [];
  try {
    for await (const part of req.parts({ limits: { fileSize: PROOF_LIMIT + 1, files: MAX_PROOFS + 1 } })) {
      if (part.type === 'file') {
        const buf = await part.toBuffer();
        if (!buf.length && !part.filename) continue;
        if ((part as { file?: { truncated?: boolean } }).file?.truncated || buf.length > PROOF_LIMIT) fields.idProof = req.t('requests.err.proof_size', { mb: PROOF_LIMIT / 1024 / 1024 });
        else files.push({ buf, name: part.filename ?? '' });
      } else if (typeof part.value === 'string') raw[part.fieldname] = part.value.slice(0, 6000);
    }
  } catch (err: any) {
    if (err instanceof HttpError && err.status === 403) throw err;
    if (err?.code === 'FST_FILES_LIMIT') fields.idProof = req.t('requests.err.proof_many', { n: MAX_PROOFS });
    else if (err?.code === 'FST_REQ_FILE_TOO_LARGE') fields.idProof = req.t('requests.err.proof_size', { mb: PROOF_LIMIT / 1024 / 1024 });
    else if (err instanceof HttpError && err.fields) Object.assign(fields, tr(req, err.fields, err.params));
    else fields.idProof = req.t('requests.err.upload');
  }
  if (files.length > MAX_PROOFS) fields.idProof = req.t('requests.err.proof_many', { n: MAX_PROOFS });
  if (!fields.idProof)
    for (const f of files) {
      try {
        proofs.push(await storeProof(p, f.buf, f.name, 'idProof'));
      } catch (err) {
        if (!(err instanceof HttpError) || err.status >= 500) throw err;
        fields.idProof = err.fields ? req.t(err.fields.idProof ?? Object.values(err.fields)[0], { mb: PROOF_LIMIT / 1024 / 1024, ...err.params }) : req.t('requests.err.proof_type');
        break;
      }
    }
  return { raw, proofs, fields };
}

export function intakePages(app: FastifyInstance, p: Platform, submitLimit: Limiter): void {
  const once = confirmOnce<Registered>(p.db, 'request-confirm');
  const check = async (req: FastifyRequest, values: FormValues, proofs: StoredProof[]) => tr(req, await checkRequest(p.db, toInput(values, proofs), { staff: false }), { n: MAX_PROOFS, mb: PROOF_LIMIT / 1024 / 1024 });
  const kept = (files: string[]) => keptFiles(app, files);

  app.get('/disclosure-requests/new', { config: { permission: 'public' } }, async (req, reply) => formPage(p, req, reply, {}));

  // The form → its checks → 请核对您填写的信息 (nothing is registered yet).
  app.post('/disclosure-requests/new', { config: { permission: 'public', csrf: 'multipart' }, onRequest: submitLimit }, async (req, reply) => {
    const { raw, proofs, fields } = await readForm(p, req);
    const values = pick(raw);
    // Proofs of an earlier step stay unless new ones are chosen.
    const hashes = proofs.length ? proofs.map((x) => x.hash) : keptFrom(app, raw.proofsKept, MAX_PROOFS);
    const stored = proofs.length ? proofs : await proofsOf(p, hashes);
    Object.assign(fields, { ...(await check(req, values, stored)), ...fields });
    if (Object.keys(fields).length) return formPage(p, req, reply, values, { fields, kept: kept(hashes), status: 400 });
    return checkPage(p, req, reply, values, newTicket(app, hashes), hashes.length);
  });

  // 修改: back to the form with every answer (and the proofs) kept.
  app.post('/disclosure-requests/new/edit', { config: { permission: 'public' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const t = readTicket(app, body.ticket, MAX_PROOFS);
    return formPage(p, req, reply, pick(body), { kept: kept(t?.m ?? []) });
  });

  // 确认提交: checked again, then registered once per ticket.
  app.post('/disclosure-requests/new/confirm', { config: { permission: 'public' }, onRequest: submitLimit }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = pick(body);
    const t = readTicket(app, body.ticket, MAX_PROOFS);
    if (!t) return formPage(p, req, reply, values, { error: req.t('requests.ticket_invalid'), status: 400 });
    const proofs = await proofsOf(p, t.m);
    const fields = await check(req, values, proofs);
    if (Object.keys(fields).length) return formPage(p, req, reply, values, { fields, kept: kept(t.m), status: 400 });
    if (!ticketFresh(t)) return checkPage(p, req, reply, values, newTicket(app, t.m), t.m.length, { notice: req.t('requests.check_expired') });
    const s = await once(t, browserOf(req), () => submitRequest(p, 'citizen', toInput(values, proofs)));
    return s ? submittedPage(req, reply, s) : duplicatePage(req, reply);
  });
}

/** The stored proofs a signed list names (their names are the stored type's: the original name stays with the check page's upload). */
export async function proofsOf(p: Platform, hashes: string[]): Promise<StoredProof[]> {
  if (!hashes.length) return [];
  const rows = await p.db.selectFrom('files').select(['hash', 'mime', 'size', 'ext']).where('hash', 'in', hashes).execute();
  return hashes.flatMap((h, i) => {
    const f = rows.find((r) => r.hash === h);
    return f ? [{ hash: f.hash, name: `identity-${i + 1}.${f.ext}`, mime: f.mime, size: f.size }] : [];
  });
}
