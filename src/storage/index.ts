import { openDatabase, type DB } from './db.ts';
import { RunStore, SettingsStore } from './runs.ts';
import { ScenarioStore } from './scenarios.ts';
import { DraftStore } from './drafts.ts';
import { TapeStore } from './tapes.ts';
import { UserStore } from './users.ts';
import { WorkspaceStore } from './workspaces.ts';
import { ClassStore } from './classes.ts';

export { DATABASE_FILE, DatabaseProblem, explainDatabaseError, inspectDatabase, KNOWN_VERSION, MIGRATIONS, migrate, openDatabase, sqliteCode, type DB, type Migration } from './db.ts';
export { RunStore, SettingsStore, FINISHED, type RunRecord, type RunStatus } from './runs.ts';
export { DraftStore } from './drafts.ts';
export { TapeStore, type TapeRecord } from './tapes.ts';
export { WorkspaceStore, type Workspace } from './workspaces.ts';
export { ClassStore, JOIN_CODE, normaliseJoinCode, type Assignment, type Submission } from './classes.ts';
export { currentViewer, ForbiddenError, withViewer, type Sharing, type Viewer } from './access.ts';
export { LOCAL_USER, ROLES, UserStore, passwordProblem, type ApiToken, type Role, type User } from './users.ts';
export { PER_PAGE_MAX, ScenarioStore, TRASH_DAYS, VersionConflictError, type ScenarioPage, type TrashedScenario, type SavedScenario, type SavedScenarioSummary } from './scenarios.ts';
export { StoredScenarioError, decodeScenario, encodeScenario } from './scenario-json.ts';
export { ID_PATTERN, newId } from './ids.ts';

export interface Storage {
  readonly db: DB;
  readonly scenarios: ScenarioStore;
  readonly runs: RunStore;
  readonly drafts: DraftStore;
  readonly tapes: TapeStore;
  readonly settings: SettingsStore;
  readonly users: UserStore;
  readonly workspaces: WorkspaceStore;
  readonly classes: ClassStore;
  close(): void;
}

export function openStorage(dataDir: string | ':memory:'): Storage {
  const db = openDatabase(dataDir);
  const tapes = new TapeStore(db, dataDir);
  return {
    db,
    scenarios: new ScenarioStore(db),
    runs: new RunStore(db),
    drafts: new DraftStore(db),
    tapes,
    settings: new SettingsStore(db),
    users: new UserStore(db),
    workspaces: new WorkspaceStore(db),
    classes: new ClassStore(db),
    close: () => {
      tapes.close();
      if (db.open) db.close();
    },
  };
}
