/**
 * Accounts: users with a role and a password hashed with scrypt (memory-hard, node's own),
 * sessions kept on the server (the browser holds a random token; only its SHA-256 is
 * stored), personal API tokens (shown once, stored hashed, revocable) and an audit log of
 * sign-ins, deletions and permission changes.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { DB } from './db.ts';
import { newId } from './ids.ts';

export const ROLES = ['administrator', 'analyst', 'trainer', 'trainee'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly disabled: boolean;
  readonly hasPassword: boolean;
}

export interface ApiToken {
  readonly id: string;
  readonly label: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

interface UserRow {
  id: string;
  name: string;
  role: Role;
  password_hash: string | null;
  created_at: string;
  disabled_at: string | null;
}

/** The name of the user a loopback server signs in by itself. */
export const LOCAL_USER = 'local';
export const SESSION_DAYS = 14;
const NAME = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u;

// scrypt: N = 2^15, r = 8, p = 1 (32 MB, about 0.1 s), 64-byte key, 16-byte salt.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY = 64;

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split('$') ?? [];
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const key = Buffer.from(parts[5]!, 'base64url');
  const given = await scryptAsync(password, Buffer.from(parts[4]!, 'base64url'), n, r, p);
  return given.length === key.length && timingSafeEqual(given, key);
}

/** Why a password cannot be used, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'must be at least 10 characters long';
  if (password.length > 200) return 'must be at most 200 characters long';
  return null;
}

export function nameProblemOfUser(name: string): string | null {
  return NAME.test(name) ? null : 'must be 1 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export class UserStore {
  constructor(private readonly db: DB) {}

  private user(row: UserRow): User {
    return { id: row.id, name: row.name, role: row.role, createdAt: row.created_at, disabled: row.disabled_at !== null, hasPassword: row.password_hash !== null };
  }

  byName(name: string): User | null {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return row ? this.user(row) : null;
  }

  byId(id: string): User | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? this.user(row) : null;
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map((r) => this.user(r));
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM users WHERE name <> ?').pluck().get(LOCAL_USER) as number;
  }

  /** Adds a user; throws with a message when the name is taken or not allowed. */
  async add(name: string, role: Role, password: string | null, by: string | null = null): Promise<User> {
    const bad = nameProblemOfUser(name);
    if (bad) throw new Error(`The name ${bad}.`);
    if (password !== null) {
      const weak = passwordProblem(password);
      if (weak) throw new Error(`The password ${weak}.`);
    }
    const hash = password === null ? null : await hashPassword(password);
    const id = newId();
    const now = new Date().toISOString();
    this.db.transaction(() => {
      if (this.byName(name)) throw new Error(`There is already a user named “${name}”.`);
      this.db.prepare('INSERT INTO users (id, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(id, name, role, hash, now);
      this.audit(by, 'user added', `${name} as ${role}`);
    })();
    return this.byId(id)!;
  }

  /** The user a loopback server signs in by itself: an administrator without a password. */
  local(): User {
    const found = this.byName(LOCAL_USER);
    if (found) return found;
    const id = newId();
    this.db.prepare('INSERT OR IGNORE INTO users (id, name, role, password_hash, created_at) VALUES (?, ?, ?, NULL, ?)').run(id, LOCAL_USER, 'administrator', new Date().toISOString());
    return this.byName(LOCAL_USER)!;
  }

  async setPassword(name: string, password: string, by: string | null = null): Promise<void> {
    const weak = passwordProblem(password);
    if (weak) throw new Error(`The password ${weak}.`);
    const hash = await hashPassword(password);
    this.db.transaction(() => {
      const user = this.byName(name);
      if (!user) throw new Error(`There is no user named “${name}”.`);
      this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, user.id);
      // A new password ends every session of the account.
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(user.id);
      this.audit(by, 'password changed', name);
    })();
  }

  setRole(name: string, role: Role, by: string | null = null): void {
    this.db.transaction(() => {
      const user = this.byName(name);
      if (!user) throw new Error(`There is no user named “${name}”.`);
      this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, user.id);
      this.audit(by, 'role changed', `${name}: ${user.role} → ${role}`);
    })();
  }

  setDisabled(name: string, disabled: boolean, by: string | null = null): void {
    this.db.transaction(() => {
      const user = this.byName(name);
      if (!user) throw new Error(`There is no user named “${name}”.`);
      this.db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').run(disabled ? new Date().toISOString() : null, user.id);
      if (disabled) this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(user.id);
      this.audit(by, disabled ? 'user disabled' : 'user enabled', name);
    })();
  }

  /** The user when the name and password match an enabled account, else null. */
  async check(name: string, password: string): Promise<User | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    // Without such a user, hash anyway: the answer takes as long either way.
    const ok = await verifyPassword(password, row?.password_hash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA');
    return row && ok && row.disabled_at === null ? this.user(row) : null;
  }

  // ----- Sessions --------------------------------------------------------------------------
  /** A new session: the token for the browser's cookie (only its hash is kept). */
  createSession(userId: string, now = new Date()): string {
    const token = randomBytes(32).toString('base64url');
    const expires = new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now.toISOString());
      this.db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(sha256(token), userId, now.toISOString(), expires);
    })();
    return token;
  }

  /** The user of a live session, or null. */
  sessionUser(token: string, now = new Date()): User | null {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const row = this.db.prepare('SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL')
      .get(sha256(token), now.toISOString()) as UserRow | undefined;
    return row ? this.user(row) : null;
  }

  endSession(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(sha256(token));
  }

  // ----- API tokens ---------------------------------------------------------------------------
  /** A new personal API token: the secret is returned once and only its hash kept. */
  createToken(userId: string, label: string): { token: string; id: string } {
    const id = newId();
    const token = `cgf_${randomBytes(32).toString('base64url')}`;
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO api_tokens (id, user_id, label, token_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(id, userId, label.slice(0, 80), sha256(token), new Date().toISOString());
      this.audit(userId, 'API token created', label.slice(0, 80));
    })();
    return { token, id };
  }

  tokens(userId: string): ApiToken[] {
    return (this.db.prepare('SELECT id, label, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC').all(userId) as { id: string; label: string; created_at: string; last_used_at: string | null; revoked_at: string | null }[])
      .map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
  }

  revokeToken(userId: string, id: string): boolean {
    return this.db.transaction(() => {
      const done = this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id, userId).changes > 0;
      if (done) this.audit(userId, 'API token revoked', id);
      return done;
    })();
  }

  /** The user of a live API token, or null. */
  tokenUser(token: string): User | null {
    if (!/^cgf_[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const row = this.db.prepare('SELECT u.*, t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL')
      .get(sha256(token)) as (UserRow & { token_id: string }) | undefined;
    if (!row) return null;
    try {
      this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(new Date().toISOString(), row.token_id);
    } catch {
      // A read-only or full database: the token still works.
    }
    return this.user(row);
  }

  // ----- Invitations -------------------------------------------------------------------------
  /** A one-time invitation to make an account with a role (and join a workspace): the token is returned once, its hash kept. */
  createInvitation(role: Role, workspaceId: string | null, by: string | null, days = 14): string {
    const token = randomBytes(24).toString('base64url');
    const now = new Date();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO invitations (token_hash, role, workspace_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(sha256(token), role, workspaceId, by, now.toISOString(), new Date(now.getTime() + days * 86_400_000).toISOString());
      this.audit(by, 'invitation made', `as ${role}${workspaceId ? ` to ${workspaceId}` : ''}`);
    })();
    return token;
  }

  /** A live (unused, unexpired) invitation, or null. */
  invitation(token: string, now = new Date()): { role: Role; workspaceId: string | null } | null {
    if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null;
    const row = this.db.prepare('SELECT role, workspace_id FROM invitations WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?').get(sha256(token), now.toISOString()) as { role: Role; workspace_id: string | null } | undefined;
    return row ? { role: row.role, workspaceId: row.workspace_id } : null;
  }

  /** Marks an invitation used; false when it was used meanwhile. */
  useInvitation(token: string, userId: string): boolean {
    return this.db.prepare('UPDATE invitations SET used_by = ?, used_at = ? WHERE token_hash = ? AND used_at IS NULL').run(userId, new Date().toISOString(), sha256(token)).changes > 0;
  }

  // ----- Audit -----------------------------------------------------------------------------------
  audit(userId: string | null, action: string, detail: string): void {
    this.db.prepare('INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)').run(new Date().toISOString(), userId, action, detail.slice(0, 500));
  }

  auditLog(limit = 100): { at: string; user: string | null; action: string; detail: string }[] {
    return this.db.prepare('SELECT a.at, u.name AS user, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ORDER BY a.id DESC LIMIT ?').all(limit) as { at: string; user: string | null; action: string; detail: string }[];
  }
}
