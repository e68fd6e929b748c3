/**
 * Uploaded loan tapes: the files under DATA_DIR/tapes, a row each in `tapes`, and the column
 * mapping each user last used for each lender in `tape_mappings`.
 *
 * Nothing is half-written: an upload streams into DATA_DIR/tapes/incoming and becomes a tape
 * (file renamed into place, row inserted) only once it is whole; a failed upload or import
 * removes both. A tape is 'pending' until its rows are imported under a mapping, then
 * 'imported' with its calibration report. Leftovers of a crash (incoming files, files without
 * a row) are removed when the store opens.
 */
import { bindings, currentViewer, ForbiddenError, ownAs, SEE, seeAs, type Sharing, sharingJoin, sharingOf, type SharingRow } from './access.ts';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ColumnMapping, ColumnMappingSchema } from '../core/calibration/fields.ts';
import type { DB } from './db.ts';
import { newId } from './ids.ts';

export type TapeFormat = 'csv' | 'xlsx';
export type TapeStatus = 'pending' | 'imported';

export interface TapeRecord extends Sharing {
  readonly id: string;
  /** The file's name as uploaded. */
  readonly name: string;
  readonly lender: string;
  readonly format: TapeFormat;
  readonly sizeBytes: number;
  readonly status: TapeStatus;
  readonly rows: number | null;
  readonly mapping: ColumnMapping | null;
  /** The data's end date (YYYY-MM-DD) the import used. */
  readonly asOf: string | null;
  /** The base scenario of the calibration: preset:ID or saved:ID. */
  readonly baseRef: string | null;
  readonly createdAt: string;
  readonly importedAt: string | null;
}

interface Row extends SharingRow {
  id: string;
  name: string;
  lender: string;
  format: TapeFormat;
  size_bytes: number;
  status: TapeStatus;
  rows: number | null;
  mapping_json: string | null;
  as_of: string | null;
  base_ref: string | null;
  created_at: string;
  imported_at: string | null;
}

/** A mapping read back from the database, checked like one sent: null when it is not one. */
function storedMapping(json: string): ColumnMapping | null {
  try {
    const parsed = ColumnMappingSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const record = (r: Row): TapeRecord => ({
  id: r.id, name: r.name, lender: r.lender, format: r.format, sizeBytes: r.size_bytes, status: r.status, rows: r.rows,
  mapping: r.mapping_json ? storedMapping(r.mapping_json) : null, asOf: r.as_of, baseRef: r.base_ref,
  createdAt: r.created_at, importedAt: r.imported_at, ...sharingOf(r),
});

const SELECT = sharingJoin('tapes');

/** A lender's key for its remembered mapping: trimmed, spaces collapsed, lower case. */
export const lenderKey = (lender: string) => lender.trim().replace(/\s+/g, ' ').toLowerCase();

export class TapeStore {
  /** Where the tapes' files are. */
  readonly dir: string;
  private readonly incoming: string;
  private readonly temporary: boolean;

  constructor(private readonly db: DB, dataDir: string | ':memory:') {
    this.temporary = dataDir === ':memory:';
    this.dir = this.temporary ? mkdtempSync(join(tmpdir(), 'cgf-tapes-')) : join(resolve(dataDir), 'tapes');
    this.incoming = join(this.dir, 'incoming');
    mkdirSync(this.incoming, { recursive: true });
    this.sweep();
  }

  /** Removes incoming files and files that no row claims (left by a crash). */
  private sweep(): void {
    for (const f of readdirSync(this.incoming)) rmSync(join(this.incoming, f), { force: true });
    const ids = new Set(this.db.prepare('SELECT id FROM tapes').pluck().all() as string[]);
    for (const f of readdirSync(this.dir)) {
      const m = /^([A-Za-z0-9_-]+)\.(csv|xlsx)$/.exec(f);
      if (m && !ids.has(m[1]!)) rmSync(join(this.dir, f), { force: true });
    }
  }

  /** A fresh path in the incoming folder for an upload to stream into. */
  incomingPath(): string {
    return join(this.incoming, `${randomBytes(12).toString('base64url')}.part`);
  }

  /** The tape's file. */
  path(t: Pick<TapeRecord, 'id' | 'format'>): string {
    return join(this.dir, `${t.id}.${t.format}`);
  }

  /** Turns a whole upload into a pending tape: the file moved into place, then its row. */
  add(upload: { incomingPath: string; name: string; lender: string; format: TapeFormat; sizeBytes: number }, owner: string | null = currentViewer()?.id ?? null): TapeRecord {
    const id = newId();
    const now = new Date().toISOString();
    const file = this.path({ id, format: upload.format });
    renameSync(upload.incomingPath, file);
    try {
      this.db.prepare('INSERT INTO tapes (id, name, lender, format, size_bytes, status, created_at, owner_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, upload.name.slice(0, 200), upload.lender.slice(0, 120), upload.format, upload.sizeBytes, 'pending', now, owner);
    } catch (e) {
      rmSync(file, { force: true });
      throw e;
    }
    return record(this.db.prepare(`${SELECT} WHERE x.id = ?`).get(id) as Row);
  }

  /** The tape, when the viewer may see it (its uploader, a workspace it is shared with, an administrator), else null. */
  get(id: string): TapeRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE x.id = @id AND ${seeAs('x.')}`).get({ ...bindings(), id }) as Row | undefined;
    return row ? record(row) : null;
  }

  /** The tapes the viewer may see, newest first. */
  list(): TapeRecord[] {
    return (this.db.prepare(`${SELECT} WHERE ${seeAs('x.')} ORDER BY x.created_at DESC`).all(bindings()) as Row[]).map(record);
  }

  /** Whether the viewer may share the tape or delete it: its uploader or an administrator (anyone, for a tape from before accounts). */
  isOwn(id: string): boolean {
    return this.db.prepare(`SELECT 1 FROM tapes WHERE id = @id AND (${ownAs()} OR owner_id IS NULL)`).get({ ...bindings(), id }) !== undefined;
  }

  /**
   * Shares the tape with a workspace, or makes it private again (null); false when the viewer
   * cannot see it, ForbiddenError when they may see it but it is not theirs.
   */
  share(id: string, workspaceId: string | null): boolean {
    return this.db.transaction(() => {
      if (!this.get(id)) return false;
      if (!this.isOwn(id)) throw new ForbiddenError('Only the tape’s uploader or an administrator chooses whom it is shared with.');
      this.db.prepare('UPDATE tapes SET workspace_id = ? WHERE id = ?').run(workspaceId, id);
      return true;
    })();
  }

  /** Records a successful import and its report (JSON). */
  markImported(id: string, o: { rows: number; mapping: ColumnMapping; asOf: string; baseRef: string; report: unknown }): void {
    this.db.prepare('UPDATE tapes SET status = ?, rows = ?, mapping_json = ?, as_of = ?, base_ref = ?, report_json = ?, imported_at = ? WHERE id = ?')
      .run('imported', o.rows, JSON.stringify(o.mapping), o.asOf, o.baseRef, JSON.stringify(o.report), new Date().toISOString(), id);
  }

  /** The report stored with an imported tape, or null. */
  report<T>(id: string): T | null {
    const json = this.db.prepare(`SELECT report_json FROM tapes WHERE id = @id AND ${SEE}`).pluck().get({ ...bindings(), id }) as string | null | undefined;
    return json ? (JSON.parse(json) as T) : null;
  }

  /** Deletes the tape's row, then its file; false when there is none. */
  delete(id: string): boolean {
    const t = this.get(id);
    if (!t) return false;
    this.db.prepare('DELETE FROM tapes WHERE id = ?').run(id);
    rmSync(this.path(t), { force: true });
    return true;
  }

  /**
   * The mapping the viewer last used for this lender's tapes, else one remembered for everyone
   * (before mappings were kept per user, or by the command line), or null.
   */
  mappingFor(lender: string): ColumnMapping | null {
    const json = this.db.prepare("SELECT mapping_json FROM tape_mappings WHERE lender = ? AND owner_id IN (?, '') ORDER BY owner_id = '' LIMIT 1")
      .pluck().get(lenderKey(lender), currentViewer()?.id ?? '') as string | undefined;
    return json === undefined ? null : storedMapping(json);
  }

  /** Remembers the mapping for the viewer (for everyone outside a request). */
  rememberMapping(lender: string, mapping: ColumnMapping): void {
    this.db.prepare('INSERT INTO tape_mappings (owner_id, lender, mapping_json, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (owner_id, lender) DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at')
      .run(currentViewer()?.id ?? '', lenderKey(lender), JSON.stringify(mapping), new Date().toISOString());
  }

  /** Removes the folder of a store without a data folder (tests). */
  close(): void {
    if (this.temporary && existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
