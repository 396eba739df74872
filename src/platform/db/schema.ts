// The database's tables as Kysely types. Each module adds its own tables by
// augmenting this interface (`declare module '…/platform/db/schema.js'`), so the
// platform never needs to know module internals.
import type { Generated } from 'kysely';

/** Timestamps are stored as ISO-8601 UTC text and calendar dates as YYYY-MM-DD text
 *  on both databases, so one code path reads and compares them. Booleans are 0/1. */
export type Timestamp = string;

export interface GovernmentTable {
  id: Generated<number>;
  name: string;
  short_name: string;
  org_code: string;
  address: string;
  phone: string;
  created_at: Timestamp;
}

export interface DepartmentTable {
  id: Generated<number>;
  parent_id: number | null;
  code: string;
  name: string;
  short_name: string;
  kind: string; // 'bureau' | 'office' | 'subdistrict' | 'centre' | 'committee'
  org_code: string | null;
  phone: string;
  fax: string;
  email: string;
  address: string;
  office_hours: string;
  sort: number;
  active: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  display_name: string;
  email: string;
  department_id: number;
  active: number;
  is_demo: number;
  totp_secret: string | null;
  totp_enabled: number;
  /** The time step of the last TOTP code accepted (a code is good once). */
  totp_last_step: number | null;
  password_changed_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserRoleTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  department_id: number;
  include_children: number;
}

export interface SessionTable {
  id: string; // SM3 of the cookie token; the token itself is never stored
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string;
  user_agent: string;
  mfa_pending: number;
  revoked_at: Timestamp | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface LoginFailureTable {
  id: Generated<number>;
  key: string; // 'user:<name>' or 'ip:<addr>'
  at: Timestamp;
}

export interface AuditEventTable {
  seq: number;
  at: Timestamp;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  details: string; // canonical JSON
  prev_hash: string;
  hash: string;
}

export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: string;
  status: string; // pending | running | done | dead
  attempts: number;
  max_attempts: number;
  run_at: Timestamp;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  idempotency_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: Timestamp;
}

export interface Database {
  government: GovernmentTable;
  departments: DepartmentTable;
  users: UserTable;
  user_roles: UserRoleTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_failures: LoginFailureTable;
  audit_events: AuditEventTable;
  jobs: JobTable;
  settings: SettingTable;
}
