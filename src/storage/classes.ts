/**
 * Classes: a workspace of kind 'class' with a join code, the exercises its trainer assigns
 * with a due date, and each trainee's submission (the numbers asked for, a short explanation
 * and the scenario they ran). A new submission replaces the trainee's previous one.
 */
import { randomInt } from 'node:crypto';
import type { DB } from './db.ts';
import { newId } from './ids.ts';
import type { Workspace } from './workspaces.ts';

export interface Assignment {
  readonly id: string;
  readonly workspaceId: string;
  readonly exerciseId: string;
  /** An ISO date (YYYY-MM-DD): due by the end of that day, UTC. */
  readonly dueAt: string;
  readonly createdAt: string;
}

export interface Submission {
  readonly assignmentId: string;
  readonly userId: string;
  readonly userName: string;
  /** As typed, by the asked number's id. */
  readonly answers: Readonly<Record<string, string>>;
  readonly explanation: string;
  readonly scenarioId: string | null;
  readonly submittedAt: string;
}

/** No letters that read alike (0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE = /^[A-HJKMNP-Z2-9]{4}-?[A-HJKMNP-Z2-9]{4}$/;
export const normaliseJoinCode = (code: string): string => {
  const c = code.trim().toUpperCase().replace(/[\s-]/g, '');
  return c.length === 8 ? `${c.slice(0, 4)}-${c.slice(4)}` : c;
};

interface AssignmentRow { id: string; workspace_id: string; exercise_id: string; due_at: string; created_at: string }
const assignment = (r: AssignmentRow): Assignment => ({ id: r.id, workspaceId: r.workspace_id, exerciseId: r.exercise_id, dueAt: r.due_at, createdAt: r.created_at });

export class ClassStore {
  constructor(private readonly db: DB) {}

  private code(): string {
    const pick = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${pick()}-${pick()}`;
  }

  /** Gives a class a join code (a new one replaces the old: trainees who have not joined need the new one). */
  newJoinCode(workspaceId: string): string {
    for (;;) {
      const code = this.code();
      try {
        this.db.prepare('UPDATE workspaces SET join_code = ? WHERE id = ?').run(code, workspaceId);
        return code;
      } catch (e) {
        if (!String((e as Error).message).includes('UNIQUE')) throw e;
      }
    }
  }

  joinCodeOf(workspaceId: string): string | null {
    return (this.db.prepare('SELECT join_code FROM workspaces WHERE id = ?').pluck().get(workspaceId) as string | null | undefined) ?? null;
  }

  /** The class with that join code, or null. */
  byJoinCode(code: string): Workspace | null {
    const c = normaliseJoinCode(code);
    if (!JOIN_CODE.test(c)) return null;
    const row = this.db.prepare("SELECT id, name, kind, created_by, created_at FROM workspaces WHERE join_code = ? AND kind = 'class'").get(c) as
      { id: string; name: string; kind: 'class'; created_by: string | null; created_at: string } | undefined;
    return row ? { id: row.id, name: row.name, kind: row.kind, createdBy: row.created_by, createdAt: row.created_at } : null;
  }

  /** How many trainee accounts made since `since` (ISO) joined the class since then: the sign-ups its join code let in. */
  signupsSince(workspaceId: string, since: string): number {
    return this.db.prepare("SELECT COUNT(*) FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? AND m.added_at >= ? AND u.created_at >= ? AND u.role = 'trainee'")
      .pluck().get(workspaceId, since, since) as number;
  }

  assign(workspaceId: string, exerciseId: string, dueAt: string, by: string | null): Assignment {
    const id = newId();
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO assignments (id, workspace_id, exercise_id, due_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, workspaceId, exerciseId, dueAt, by, now);
      this.db.prepare('INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)').run(now, by, 'exercise assigned', `${exerciseId} to ${workspaceId}, due ${dueAt}`);
    })();
    return this.assignment(id)!;
  }

  assignment(id: string): Assignment | null {
    const row = this.db.prepare('SELECT * FROM assignments WHERE id = ?').get(id) as AssignmentRow | undefined;
    return row ? assignment(row) : null;
  }

  assignments(workspaceId: string): Assignment[] {
    return (this.db.prepare('SELECT * FROM assignments WHERE workspace_id = ? ORDER BY due_at, created_at').all(workspaceId) as AssignmentRow[]).map(assignment);
  }

  unassign(id: string, by: string | null): boolean {
    return this.db.transaction(() => {
      const done = this.db.prepare('DELETE FROM assignments WHERE id = ?').run(id).changes > 0;
      if (done) this.db.prepare('INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)').run(new Date().toISOString(), by, 'assignment deleted', id);
      return done;
    })();
  }

  submit(assignmentId: string, userId: string, answers: Record<string, string>, explanation: string, scenarioId: string | null): void {
    this.db.prepare(`INSERT INTO submissions (assignment_id, user_id, answers_json, explanation, scenario_id, submitted_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (assignment_id, user_id) DO UPDATE SET answers_json = excluded.answers_json, explanation = excluded.explanation, scenario_id = excluded.scenario_id, submitted_at = excluded.submitted_at`)
      .run(assignmentId, userId, JSON.stringify(answers), explanation, scenarioId, new Date().toISOString());
  }

  /** The submissions to an assignment (one user's only, when given). */
  submissions(assignmentId: string, userId?: string): Submission[] {
    const rows = this.db.prepare(`SELECT s.*, u.name AS user_name FROM submissions s JOIN users u ON u.id = s.user_id WHERE s.assignment_id = ?${userId ? ' AND s.user_id = ?' : ''} ORDER BY u.name`)
      .all(...(userId ? [assignmentId, userId] : [assignmentId])) as { assignment_id: string; user_id: string; user_name: string; answers_json: string; explanation: string; scenario_id: string | null; submitted_at: string }[];
    return rows.map((r) => {
      let answers: Record<string, string> = {};
      try {
        const parsed = JSON.parse(r.answers_json) as unknown;
        if (parsed && typeof parsed === 'object') answers = Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      } catch {
        // Kept as no answers.
      }
      return { assignmentId: r.assignment_id, userId: r.user_id, userName: r.user_name, answers, explanation: r.explanation, scenarioId: r.scenario_id, submittedAt: r.submitted_at };
    });
  }
}
