// JSON schemas shared by every module's API: the one error body (see http/errors.ts).
import { Type } from '@sinclair/typebox';

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), fields: Type.Optional(Type.Record(Type.String(), Type.String())) }),
});
