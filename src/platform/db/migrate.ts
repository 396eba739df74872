// Migrations: each module contributes a list; they run in number order on start and with
// `gongkai migrate`. Names are a number in the module's own thousand and a kebab-case name
// (platform 0xxx, calendar 1xxx, …, enforcement 10xxx: docs/architecture.md, "Data"; test/platform/migrations.test.ts).
import { Kysely, Migrator, sql, type CreateTableBuilder, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './index.js';

export interface GkMigration {
  name: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

/** An auto-incrementing integer primary key named `id`, on either database. */
export function withId<T extends string>(t: CreateTableBuilder<T, never>, dialect: Dialect): CreateTableBuilder<T, 'id'> {
  return dialect === 'postgres'
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Type for long text: `text` on both. JSON is stored as text too. */
export const TEXT = 'text' as const;

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect, migrations: GkMigration[]): Promise<string[]> {
  const names = new Set<string>();
  for (const m of migrations) {
    if (names.has(m.name)) throw new Error(`duplicate migration name ${m.name}`);
    names.add(m.name);
  }
  // Kysely orders migrations by name as text, where 10001-… comes before 2001-…: run those with
  // 4-digit numbers first, then the 5-digit ones (the eleventh thousand on), so the order is numeric.
  const width = (name: string) => (/^\d+/.exec(name)?.[0].length ?? 0);
  const widths = [...new Set(migrations.map((m) => width(m.name)))].sort((a, b) => a - b);
  // Kysely refuses a run that lacks a migration the database already records: each run includes those.
  const done = new Set(
    await db
      .selectFrom('gk_migrations')
      .select('name')
      .execute()
      .then((rows) => rows.map((r) => r.name as string))
      .catch(() => [] as string[]),
  );
  const applied: string[] = [];
  for (const w of widths) {
    const batch = migrations.filter((m) => width(m.name) <= w || done.has(m.name));
    const provider: MigrationProvider = {
      async getMigrations() {
        const out: Record<string, Migration> = {};
        for (const m of batch) out[m.name] = { up: (d) => m.up(d, dialect) };
        return out;
      },
    };
    const migrator = new Migrator({
      db,
      provider,
      allowUnorderedMigrations: true,
      migrationTableName: 'gk_migrations',
      migrationLockTableName: 'gk_migrations_lock',
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    applied.push(...(results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName));
  }
  return applied;
}

export { sql };
