/**
 * npm run backup [-- OUT_FILE]: a consistent copy of DATA_DIR's database (default ./data),
 * made with SQLite's online backup while the server may be running. Exit code 1 on failure,
 * with a message naming the file and the cause.
 */
import { backupDatabase } from '../storage/backup.ts';

const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.some((a) => a === '--help' || a === '-h')) {
  console.log('Usage: npm run backup [-- OUT_FILE]   (DATA_DIR selects the data folder, default ./data; the copy goes to DATA_DIR/backups/ unless named)');
  process.exit(0);
}
const dataDir = process.env.DATA_DIR?.trim() || './data';
backupDatabase(dataDir, args[0])
  .then((b) => {
    console.log(`Backup written to ${b.file}: ${b.scenarios} saved scenarios, schema version ${b.schemaVersion}, ${(b.bytes / 1e6).toFixed(1)} MB, checked with PRAGMA quick_check.`);
  })
  .catch((e: unknown) => {
    console.error(`Backup failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
