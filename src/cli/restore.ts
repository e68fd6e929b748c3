/**
 * npm run restore -- BACKUP_FILE: checks a backup (a database of this simulator, undamaged, not
 * from a newer version) and installs it as DATA_DIR's database, after keeping a backup of the
 * database it replaces. Stop the server first: it would otherwise go on with its runs and
 * queues of the replaced database.
 */
import { restoreDatabase } from '../storage/backup.ts';

const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
  console.error('Usage: npm run restore -- BACKUP_FILE   (DATA_DIR selects the data folder, default ./data)');
  process.exit(args.length === 1 ? 0 : 2);
}
const dataDir = process.env.DATA_DIR?.trim() || './data';
restoreDatabase(dataDir, args[0]!)
  .then((r) => {
    if (r.previous) console.log(`The database it replaces was kept as ${r.previous}.`);
    console.log(`Restored ${r.restored.file}: ${r.restored.scenarios} saved scenarios, schema version ${r.restored.schemaVersion}, checked with PRAGMA quick_check.`);
  })
  .catch((e: unknown) => {
    console.error(`Restore failed, nothing was changed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
