// Input hygiene for every route, before validation and before the handler (see platform/text.ts):
//   - control characters are refused with a 400 naming the field: anywhere in path parameters
//     and parameter names; in query values and body fields except tab, LF and CR;
//   - bidi overrides are removed from every body field (JSON, form, multipart); file names lose
//     control characters and bidi overrides alike;
//   - a truncated or malformed multipart body is a 400, not a parser error;
//   - a path parameter that holds an integer id (`id`, `a`, `b`, `year`) and is a number that
//     cannot fit the databases' integer column is a 404 (there is no such item) — PostgreSQL
//     would refuse the query.
// Query parameters and body fields that hold integers are bounded where they are read: the Ajv
// schemas bound every integer (validation.ts, boundIntegers) and hand-read forms use intFrom().
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, HttpError, notFound, validationError, type FieldErrors } from '../errors.js';
import { CONTROL_ANY, CONTROL_TEXT, INT_MAX, INT_MIN, cleanLine, stripBidi, visible } from '../text.js';

const CONTROL_CHARS = 'err.field.control_chars';
/** Path parameters that always hold an integer id when they are numeric. */
const INTEGER_PARAMS = new Set(['id', 'a', 'b', 'year']);

/** Checks (and strips bidi overrides from) every string of a parsed body, without recursion. */
function checkBody(body: unknown, bad: FieldErrors): void {
  if (body === null || typeof body !== 'object') return;
  const stack: { o: Record<string, unknown> | unknown[]; path: string }[] = [{ o: body as Record<string, unknown>, path: '' }];
  while (stack.length) {
    const { o, path } = stack.pop()!;
    for (const key of Object.keys(o)) {
      const field = path ? `${path}.${key}` : key;
      if (CONTROL_ANY.test(key)) {
        bad[visible(field)] = CONTROL_CHARS;
        continue;
      }
      const v = (o as Record<string, unknown>)[key];
      if (typeof v === 'string') {
        if (CONTROL_TEXT.test(v)) bad[field] = CONTROL_CHARS;
        else (o as Record<string, unknown>)[key] = stripBidi(v);
      } else if (v !== null && typeof v === 'object') stack.push({ o: v as Record<string, unknown>, path: field });
    }
  }
}

/** Limits (413) and our own refusals pass; a truncated or malformed multipart body is the sender's fault. */
function senderFault(err: unknown): unknown {
  if (err instanceof HttpError || typeof (err as { statusCode?: unknown })?.statusCode === 'number') return err;
  return badRequest('err.bad_body');
}

/** Multipart fields are read by the handlers as a stream: check each part as it is handed over. */
function checkMultipart(req: FastifyRequest): void {
  const r = req as FastifyRequest & { parts: (opts?: unknown) => AsyncIterableIterator<any> };
  const parts = r.parts;
  r.parts = function (this: unknown, opts?: unknown) {
    const it = parts.call(this, opts);
    return (async function* () {
      try {
        for await (const part of it) {
          const name = String(part.fieldname ?? '');
          if (CONTROL_ANY.test(name)) throw validationError({ [visible(name)]: CONTROL_CHARS });
          if (part.type === 'file') {
            // A file name is the sender's operating system's, not typed text: cleaned, not refused
            // (platform/files safeFileName then drops directories and fixes the extension).
            if (typeof part.filename === 'string') part.filename = cleanLine(part.filename);
            const toBuffer = part.toBuffer;
            if (typeof toBuffer === 'function') part.toBuffer = () => toBuffer.call(part).catch((err: unknown) => Promise.reject(senderFault(err)));
          } else if (typeof part.value === 'string') {
            if (CONTROL_TEXT.test(part.value)) throw validationError({ [name]: CONTROL_CHARS });
            part.value = stripBidi(part.value);
          }
          yield part;
        }
      } catch (err) {
        throw senderFault(err);
      }
    })();
  } as typeof r.parts;
}

export function installInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (req.url.startsWith('/static/')) return;
    const bad: FieldErrors = {};
    const params = (req.params ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && CONTROL_ANY.test(v)) bad[k] = CONTROL_CHARS;
    const query = (req.query ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(query)) {
      if (CONTROL_ANY.test(k)) bad[visible(k)] = CONTROL_CHARS;
      else if ([v].flat().some((x) => typeof x === 'string' && CONTROL_TEXT.test(x))) bad[k] = CONTROL_CHARS;
    }
    checkBody(req.body, bad);
    if (Object.keys(bad).length) throw validationError(bad);
    for (const k of INTEGER_PARAMS) {
      const v = params[k];
      if (typeof v !== 'string' || v.trim() === '') continue;
      const n = Number(v);
      // Numeric but not a whole number within the integer column: no such item.
      if (!Number.isNaN(n) && !(Number.isInteger(n) && n >= INT_MIN && n <= INT_MAX)) throw notFound();
    }
    if (typeof (req as any).isMultipart === 'function' && (req as any).isMultipart()) checkMultipart(req);
  });
}
