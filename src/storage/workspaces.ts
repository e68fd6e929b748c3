/** Workspaces (a team or a class) and their members; scenarios shared with one are theirs to see. */
import type { DB } from './db.ts';
import { newId } from './ids.ts';

export interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly kind: 'team' | 'class';
  readonly createdBy: string | null;
  readonly createdAt: string;
}

interface Row { id: string; name: string; kind: 'team' | 'class'; created_by: string | null; created_at: string }
const workspace = (r: Row): Workspace => ({ id: r.id, name: r.name, kind: r.kind, createdBy: r.created_by, createdAt: r.created_at });

export class WorkspaceStore {
  constructor(private readonly db: DB) {}

  create(name: string, kind: 'team' | 'class', createdBy: string | null): Workspace {
    const id = newId();
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO workspaces (id, name, kind, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(id, name.trim().slice(0, 120), kind, createdBy, now);
      if (createdBy) this.db.prepare('INSERT INTO workspace_members (workspace_id, user_id, added_at) VALUES (?, ?, ?)').run(id, createdBy, now);
      this.db.prepare('INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)').run(now, createdBy, 'workspace created', `${name.trim().slice(0, 120)} (${kind})`);
    })();
    return this.get(id)!;
  }

  get(id: string): Workspace | null {
    const row = this.db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as Row | undefined;
    return row ? workspace(row) : null;
  }

  /** The workspaces a user belongs to (every one for null: an administrator's view). */
  of(userId: string | null): Workspace[] {
    const rows = userId === null
      ? this.db.prepare('SELECT * FROM workspaces ORDER BY name').all() as Row[]
      : this.db.prepare('SELECT w.* FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id WHERE m.user_id = ? ORDER BY w.name').all(userId) as Row[];
    return rows.map(workspace);
  }

  isMember(workspaceId: string, userId: string): boolean {
    return this.db.prepare('SELECT 1 FROM workspace_members WHERE workspace_id = ? AND user_id = ?').get(workspaceId, userId) !== undefined;
  }

  members(workspaceId: string): { id: string; name: string; role: string }[] {
    return this.db.prepare('SELECT u.id, u.name, u.role FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? ORDER BY u.name').all(workspaceId) as { id: string; name: string; role: string }[];
  }

  addMember(workspaceId: string, userId: string, by: string | null): boolean {
    return this.db.transaction(() => {
      const added = this.db.prepare('INSERT OR IGNORE INTO workspace_members (workspace_id, user_id, added_at) VALUES (?, ?, ?)').run(workspaceId, userId, new Date().toISOString()).changes > 0;
      if (added) this.db.prepare('INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)').run(new Date().toISOString(), by, 'member added', `${userId} to ${workspaceId}`);
      return added;
    })();
  }

  removeMember(workspaceId: string, userId: string, by: string | null): boolean {
    return this.db.transaction(() => {
      const removed = this.db.prepare('DELETE FROM workspace_members WHERE workspace_id = ? AND user_id = ?').run(workspaceId, userId).changes > 0;
      if (removed) this.db.prepare('INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)').run(new Date().toISOString(), by, 'member removed', `${userId} from ${workspaceId}`);
      return removed;
    })();
  }
}
