// The appeal form's routes. The citizen fills in the form (POST /appeals/new: checked, photos
// cleaned of their metadata and stored), checks the answers on 请核对您填写的信息, then either goes
// back with 修改 (POST /appeals/new/edit, every value and photo kept) or presses 确认提交
// (POST /appeals/new/confirm), which creates the appeal — once: the check page carries a signed
// one-time ticket. Also the verification code for the citizen's phone. The pages are form.tsx.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { HttpError } from '../../../platform/errors.js';
import { storeFile, cleanImage } from '../../../platform/files/index.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { browserOf, confirmOnce, keptFiles, keptFrom as keptSealed, newTicket, readTicket as readSealed, ticketFresh } from '../../../platform/http/tickets.js';
import { requestVerification, submitAppeal, checkIntake, type IntakeInput, type Submitted } from '../service/intake.js';
import { tr } from '../views.js';
import { FORM_FIELDS, MAX_PHOTOS, PHOTO_LIMIT, checkPage, duplicatePage, formPage, submittedPage, type FormValues, type KeptPhotos } from './form.js';

export { PHOTO_LIMIT, MAX_PHOTOS };

/** Image type by magic bytes (the file name is not trusted). */
export function imageType(buf: Buffer): 'jpg' | 'png' | 'gif' | 'webp' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpg';
  if (buf.length >= 8 && buf.subarray(0, 8).toString('hex') === '89504e470d0a1a0a') return 'png';
  if (buf.length >= 6 && /^GIF8[79]a$/.test(buf.subarray(0, 6).toString('latin1'))) return 'gif';
  if (buf.length >= 12 && buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

const readTicket = (app: FastifyInstance, token: unknown) => readSealed(app, token, MAX_PHOTOS);
const keptPhotos = (app: FastifyInstance, m: string[]): KeptPhotos | null => keptFiles(app, m);
const keptFrom = (app: FastifyInstance, token: unknown): string[] => keptSealed(app, token, MAX_PHOTOS);

/** The form's text fields out of a body (form or multipart fields), each cut to a sane length. */
function pick(raw: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const k of FORM_FIELDS) if (raw[k] !== undefined && raw[k] !== null) values[k] = String(raw[k]).slice(0, 6000);
  return values;
}

function toInput(values: FormValues, media: string[]): IntakeInput {
  const num = (s?: string) => (s && s.trim() ? Number(s) : null);
  return {
    type: values.type ?? '',
    category: values.category ?? '',
    title: values.title ?? '',
    content: values.content ?? '',
    address: values.address,
    lat: num(values.lat),
    lng: num(values.lng),
    contactName: values.contactName,
    contactPhone: values.contactPhone,
    contactEmail: values.contactEmail,
    consent: values.consent === '1',
    channel: 'web',
    verifyCode: /^\d{6}$/.test(values.verifyCode ?? '') ? values.verifyCode : undefined,
    media,
  };
}

/** Every check of the answers, the verification code's form included: field → message. */
async function check(p: Platform, req: FastifyRequest, values: FormValues, media: string[]): Promise<Record<string, string>> {
  const fields: Record<string, string> = tr(req, await checkIntake(p.db, toInput(values, media)));
  if (values.verifyCode && !/^\d{6}$/.test(values.verifyCode)) fields.verifyCode = req.t('appeals.err.verify_code');
  return fields;
}

/** The body of the form: text fields, new photos (checked by size and magic bytes) and their errors. */
async function readForm(req: FastifyRequest): Promise<{ raw: Record<string, string>; photos: { buf: Buffer; ext: NonNullable<ReturnType<typeof imageType>> }[]; fields: Record<string, string> }> {
  const raw: Record<string, string> = {};
  const photos: { buf: Buffer; ext: NonNullable<ReturnType<typeof imageType>> }[] = [];
  const fields: Record<string, string> = {};
  if (!req.isMultipart()) {
    for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) raw[k] = String(v ?? '').slice(0, 6000);
    return { raw, photos, fields };
  }
  try {
    for await (const part of req.parts({ limits: { fileSize: PHOTO_LIMIT + 1, files: MAX_PHOTOS + 1 } })) {
      if (part.type === 'file') {
        const buf = await part.toBuffer();
        if (!buf.length && !part.filename) continue;
        if ((part as any).file?.truncated || buf.length > PHOTO_LIMIT) fields.photos = req.t('appeals.err.photo_size', { mb: PHOTO_LIMIT / 1024 / 1024 });
        else {
          const ext = imageType(buf);
          if (!ext) fields.photos = req.t('appeals.err.photo_type');
          else photos.push({ buf, ext });
        }
      } else if (typeof part.value === 'string') raw[part.fieldname] = part.value.slice(0, 6000);
    }
  } catch (err: any) {
    if (err?.code === 'FST_FILES_LIMIT') fields.photos = req.t('appeals.err.too_many_photos');
    else if (err?.code === 'FST_REQ_FILE_TOO_LARGE') fields.photos = req.t('appeals.err.photo_size', { mb: PHOTO_LIMIT / 1024 / 1024 });
    // A field refused on its way in (control characters): shown next to that field.
    else if (err instanceof HttpError && err.fields) for (const [k, v] of Object.entries(err.fields)) fields[k] = req.t(v);
    // A broken or truncated upload is the sender's problem: say so, never a 5xx.
    else fields.photos = req.t('appeals.err.upload');
  }
  if (photos.length > MAX_PHOTOS) fields.photos = req.t('appeals.err.too_many_photos');
  return { raw, photos, fields };
}

export function intakePages(app: FastifyInstance, p: Platform, submitLimit: Limiter): void {
  // 确认提交 creates the appeal once per ticket (platform/http/tickets.ts).
  const once = confirmOnce<Submitted>(p.db, 'appeal-confirm');

  app.get<{ Querystring: Record<string, string> }>('/appeals/new', { config: { permission: 'public' } }, async (req, reply) => {
    const q = req.query ?? {};
    const values = pick(Object.fromEntries(Object.entries(q).filter(([k, v]) => k !== 'verifyCode' && typeof v === 'string')));
    return formPage(p, req, reply, values, { similar: q.check === '1' });
  });

  // "Has this been reported?" posts what was typed (the token, the phone number) instead of putting it in a URL.
  app.post<{ Body: Record<string, unknown> }>('/appeals/new/similar', { config: { permission: 'public' } }, async (req, reply) => {
    const body = req.body && typeof req.body === 'object' ? req.body : {};
    const values = pick(Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== 'verifyCode' && k !== '_csrf' && typeof v === 'string')) as Record<string, string>);
    return formPage(p, req, reply, values, { similar: true });
  });

  // The form → its checks → 请核对您填写的信息 (nothing is created yet).
  app.post('/appeals/new', { config: { permission: 'public', csrf: 'multipart' }, onRequest: submitLimit }, async (req, reply) => {
    const { raw, photos, fields } = await readForm(req);
    const values = pick(raw);
    if (raw.clearPoint === '1') values.lat = values.lng = '';
    // Photos from an earlier step stay unless new ones are chosen or the citizen drops them.
    const kept = photos.length || raw.dropPhotos === '1' ? [] : keptFrom(app, raw.photosKept);
    Object.assign(fields, await check(p, req, values, kept), fields);
    if (Object.keys(fields).length) return formPage(p, req, reply, values, { fields, kept: keptPhotos(app, kept), status: 400 });
    // Every photo is decoded and encoded again without its metadata (EXIF GPS, device, time; XMP;
    // comments) before any is stored: what is kept and served is only the picture, upright.
    let media = kept;
    try {
      const clean: { buf: Buffer; ext: string }[] = [];
      for (const ph of photos) clean.push({ buf: await cleanImage(ph.buf, ph.ext, 'photos'), ext: ph.ext });
      if (clean.length) media = [];
      for (const ph of clean) media.push((await storeFile(p, ph.buf, `photo.${ph.ext}`, 'photos')).hash);
    } catch (err) {
      if (err instanceof HttpError && err.fields) return formPage(p, req, reply, values, { fields: tr(req, err.fields, err.params), kept: keptPhotos(app, kept), status: 400 });
      throw err;
    }
    return checkPage(p, req, reply, values, newTicket(app, media), media.length);
  });

  // 修改: back to the form with every answer (and the photos) kept.
  app.post('/appeals/new/edit', { config: { permission: 'public' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const t = readTicket(app, body.ticket);
    return formPage(p, req, reply, pick(body), { kept: keptPhotos(app, t?.m ?? []) });
  });

  // 确认提交: checked again, then created once per ticket.
  app.post('/appeals/new/confirm', { config: { permission: 'public' }, onRequest: submitLimit }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = pick(body);
    const t = readTicket(app, body.ticket);
    if (!t) return formPage(p, req, reply, values, { error: req.t('appeals.ticket_invalid'), status: 400 });
    const fields = await check(p, req, values, t.m);
    if (Object.keys(fields).length) return formPage(p, req, reply, values, { fields, kept: keptPhotos(app, t.m), status: 400 });
    if (!ticketFresh(t)) return checkPage(p, req, reply, values, newTicket(app, t.m), t.m.length, { notice: req.t('appeals.check_expired') });
    try {
      const s = await once(t, browserOf(req), () => submitAppeal(p, 'citizen', toInput(values, t.m)));
      return s ? submittedPage(req, reply, s) : duplicatePage(req, reply);
    } catch (err) {
      // A wrong verification code (checked only now): the form again; the next check page has a new ticket.
      if (err instanceof HttpError && err.fields) return formPage(p, req, reply, values, { fields: tr(req, err.fields, err.params), kept: keptPhotos(app, t.m), status: 400 });
      throw err;
    }
  });

  app.post('/appeals/verify', { config: { permission: 'public' }, onRequest: submitLimit }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = pick(body);
    const kept = keptPhotos(app, keptFrom(app, body.photosKept));
    try {
      await requestVerification(p, { phone: values.contactPhone, email: values.contactEmail });
      return formPage(p, req, reply, values, { notice: req.t('appeals.verify_sent'), kept });
    } catch (err) {
      if (err instanceof HttpError && (err.fields || err.status === 409)) return formPage(p, req, reply, values, { fields: err.fields ? tr(req, err.fields) : { contactPhone: req.t(err.message) }, status: err.status, kept });
      throw err;
    }
  });
}
