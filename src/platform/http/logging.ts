// The access log (Fastify's pino logger): request URLs are logged with secret query parameters
// replaced by [REDACTED] — query codes, verification codes, Open311 API keys, CSRF tokens —
// so that old links and API clients that still put them in a URL leave no secret in the logs.
import type { FastifyRequest } from 'fastify';

const SECRET_PARAM = /^(?:code|query_?code|verify_?code|api_?key|_csrf|token)$/i;

function paramName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** The URL with the values of secret query parameters replaced (names and order kept). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    return SECRET_PARAM.test(paramName(name)) ? `${name}=[REDACTED]` : pair;
  });
  return `${url.slice(0, q)}?${query.join('&')}`;
}

/** The URL without its secret query parameters, for links that lead back to the page (language, display preferences). */
export function withoutSecrets(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((pair) => pair && !SECRET_PARAM.test(paramName(pair.split('=')[0])));
  return kept.length ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q);
}

/** Fastify's request serializer with the URL redacted. */
function req(r: FastifyRequest) {
  return {
    method: r.method,
    url: redactUrl(r.url),
    version: [r.headers?.['accept-version']].flat()[0],
    host: r.host,
    remoteAddress: r.ip,
    remotePort: r.socket?.remotePort,
  };
}

/** Options for Fastify's `logger`: the level, the redacting serializer, and optionally where to write. */
export function accessLogOptions(level: string, stream?: { write(line: string): void }) {
  return { level, serializers: { req }, ...(stream ? { stream } : {}) };
}
