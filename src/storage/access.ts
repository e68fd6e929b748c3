/**
 * Whose request the storage serves. The web app runs each request with its signed-in user
 * (after the body is read, so the context is not lost in stream callbacks); the saved
 * scenarios then show and change only what that user may. Outside a request (the command
 * line, start-up, tests of the storage) there is no viewer and nothing is filtered.
 *
 * A scenario is private to its author unless shared with a workspace the viewer belongs to;
 * administrators see and change everything; scenarios saved before accounts existed (no
 * author) stay open to all. Workspace members may change a shared scenario, except trainees,
 * who may only read it; a trainee does not see another trainee's work.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from './users.ts';

export interface Viewer {
  readonly id: string;
  readonly role: Role;
}

const context = new AsyncLocalStorage<Viewer | null>();

export function withViewer<T>(viewer: Viewer | null, f: () => T): T {
  return context.run(viewer, f);
}

/** The viewer of the request being served, or null (no filtering). */
export function currentViewer(): Viewer | null {
  return context.getStore() ?? null;
}

/** A change refused to this viewer (it may read the scenario, not change it). */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

const MEMBER = 'SELECT workspace_id FROM workspace_members WHERE user_id = @viewer';

const TRAINEES = "SELECT id FROM users WHERE role = 'trainee'";

/**
 * SQL (named parameters @all, @viewer, @reader) for the rows the viewer may see / change. A
 * trainee sees what is shared with their class except other trainees' work.
 */
export const seeAs = (t = '') => `(@all = 1 OR ${t}owner_id IS NULL OR ${t}owner_id = @viewer OR (${t}workspace_id IN (${MEMBER}) AND NOT (@reader = 1 AND ${t}owner_id IN (${TRAINEES}))))`;
export const SEE = seeAs();
export const CHANGE = `(@all = 1 OR owner_id IS NULL OR owner_id = @viewer OR (@reader = 0 AND workspace_id IN (${MEMBER})))`;

export function bindings(viewer: Viewer | null = currentViewer()): { all: number; viewer: string; reader: number } {
  return { all: viewer === null || viewer.role === 'administrator' ? 1 : 0, viewer: viewer?.id ?? '', reader: viewer?.role === 'trainee' ? 1 : 0 };
}

/** SQL: whether the viewer may choose whom a row is shared with: its author, or an administrator. */
export const ownAs = (t = '') => `(@all = 1 OR ${t}owner_id = @viewer)`;

/** Whose a tape or an analysis is and the workspace it is shared with (null: private to its author). */
export interface Sharing {
  readonly ownerId: string | null;
  readonly ownerName: string | null;
  readonly workspaceId: string | null;
  readonly workspaceName: string | null;
}

/** The author's and the workspace's names joined to a table `x` with owner_id and workspace_id. */
export const sharingJoin = (table: string) =>
  `SELECT x.*, su.name AS owner_name, sw.name AS workspace_name FROM ${table} x LEFT JOIN users su ON su.id = x.owner_id LEFT JOIN workspaces sw ON sw.id = x.workspace_id`;

export interface SharingRow {
  owner_id: string | null;
  owner_name: string | null;
  workspace_id: string | null;
  workspace_name: string | null;
}

export const sharingOf = (r: SharingRow): Sharing => ({ ownerId: r.owner_id, ownerName: r.owner_name, workspaceId: r.workspace_id, workspaceName: r.workspace_name });
