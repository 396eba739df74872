// The catalog's own stored data: it has no tables (the publication spine's are in
// platform/publication/schema.ts); its settings and their migrations (range 2xxx, shared with the spine).
import type { GkMigration } from '../../platform/db/migrate.js';
import { sql } from '../../platform/db/migrate.js';

/** Settings key of a department's 政府信息公开指南 (disclosure guide) text. */
export const disclosureGuideKey = (departmentId: number) => `catalog.disclosure_guide.${departmentId}`;
/** Settings key of the government's own (本级) disclosure guide text. */
export const GOVERNMENT_GUIDE_KEY = 'catalog.disclosure_guide.government';
/** Settings key of the 政府信息公开制度 text (empty: the default text of the messages). */
export const disclosureRulesKey = 'catalog.disclosure_rules';

export const catalogMigrations: GkMigration[] = [
  {
    name: '2006-catalog-disclosure-guide-key',
    async up(db) {
      // The glossary's name: settings `catalog.guide.<department id>` → `catalog.disclosure_guide.<id>`
      // ('catalog.guide.' is 14 characters). Plain SQL, the same on SQLite and PostgreSQL.
      await sql`update settings set key = 'catalog.disclosure_guide.' || substr(key, 15) where key like 'catalog.guide.%'`.execute(db);
    },
  },
];
