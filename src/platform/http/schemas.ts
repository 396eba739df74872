// JSON schemas shared by every module's API: the one error body (see http/errors.ts), and the
// shape of an answer in other media types than JSON (feeds, CSV, XML…) for the API document.
import { Type, type TSchema } from '@sinclair/typebox';

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), fields: Type.Optional(Type.Record(Type.String(), Type.String())) }),
});

/** A text body (CSV, XML, HTML…) in the API document. */
export const TextBody = Type.String();
/** A binary body (XLSX, images…) in the API document. */
export const BinaryBody = Type.String({ format: 'binary' });

/**
 * A response in the given media types, for a route's `schema.response`:
 * `200: media('The catalog as CSV', { 'text/csv': TextBody })`. Only the API document reads the
 * schemas of non-JSON types (a text or binary body is sent as it is).
 */
export function media(description: string, types: Record<string, TSchema>, headers?: Record<string, TSchema>) {
  return { description, content: Object.fromEntries(Object.entries(types).map(([type, schema]) => [type, { schema }])), ...(headers ? { headers } : {}) };
}
