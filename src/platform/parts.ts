// The platform parts, registered by the platform itself ahead of any capability module (in this
// order): core (accounts, sign-in, audit, jobs, settings, the home page and dashboard), the
// calendar and deadline engine, the publication spine, and messaging. Capability modules
// (src/modules) build on them; the platform boots and works with none of those.
import type { GongkaiModule } from './module.js';
import { platformModule } from './core/module.js';
import { deadlinesPart } from './deadlines/part.js';
import { publicationPart } from './publication/part.js';
import { messagingPart } from './messaging/part.js';

export const PLATFORM_PARTS: GongkaiModule[] = [platformModule, deadlinesPart, publicationPart, messagingPart];

/** The parts followed by the given capability modules (a part listed again is ignored). */
export function withParts(modules: GongkaiModule[]): GongkaiModule[] {
  const rest = modules.filter((m) => !PLATFORM_PARTS.includes(m));
  const names = new Set<string>();
  for (const m of [...PLATFORM_PARTS, ...rest]) {
    if (names.has(m.name)) throw new Error(`two modules are named ${m.name}`);
    names.add(m.name);
  }
  return [...PLATFORM_PARTS, ...rest];
}
