/**
 * Accounts from the command line (DATA_DIR selects the data folder, default ./data); works
 * while the server runs.
 *
 *   npm run user -- add --admin NAME            an administrator (the first one of a shared server)
 *   npm run user -- add --role trainer NAME     administrator, analyst, trainer or trainee
 *   npm run user -- password NAME               a new password (sessions of the account end)
 *   npm run user -- role NAME ROLE | disable NAME | enable NAME | list | audit
 *
 * A password is read from standard input when one is piped in (--password-stdin), otherwise
 * a random one is made and printed once.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../storage/db.ts';
import { ROLES, UserStore, type Role } from '../storage/users.ts';

const USAGE = 'Usage: npm run user -- add [--admin | --role ROLE] NAME [--password-stdin] | password NAME [--password-stdin] | role NAME ROLE | disable NAME | enable NAME | list | audit';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return false;
    args.splice(i, 1);
    return true;
  };
  const option = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const admin = flag('--admin');
  const fromStdin = flag('--password-stdin');
  const roleOption = option('--role');
  const [command, name, extra] = args;
  if (!command || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const role = (admin ? 'administrator' : roleOption ?? 'analyst') as Role;
  const db = openDatabase(process.env.DATA_DIR?.trim() || './data');
  const users = new UserStore(db);
  try {
    const password = async () => (fromStdin ? readStdin() : randomBytes(12).toString('base64url'));
    const told = (p: string) => {
      if (!fromStdin) console.log(`Password (shown once; give it to ${name} and ask them to change it): ${p}`);
    };
    switch (command) {
      case 'add': {
        if (!name) throw new Error('Name the user: npm run user -- add --admin NAME');
        if (!(ROLES as readonly string[]).includes(role)) throw new Error(`The role must be one of ${ROLES.join(', ')}.`);
        const p = await password();
        await users.add(name, role, p, null);
        console.log(`Added ${name} (${role}).`);
        told(p);
        return 0;
      }
      case 'password': {
        if (!name) throw new Error('Name the user: npm run user -- password NAME');
        const p = await password();
        await users.setPassword(name, p, null);
        console.log(`New password set for ${name}; their sessions have ended.`);
        told(p);
        return 0;
      }
      case 'role':
        if (!name || !extra || !(ROLES as readonly string[]).includes(extra)) throw new Error(`npm run user -- role NAME ROLE, the role one of ${ROLES.join(', ')}`);
        users.setRole(name, extra as Role, null);
        console.log(`${name} is now ${extra}.`);
        return 0;
      case 'disable':
      case 'enable':
        if (!name) throw new Error(`Name the user: npm run user -- ${command} NAME`);
        users.setDisabled(name, command === 'disable', null);
        console.log(`${name} is ${command}d.`);
        return 0;
      case 'list':
        for (const u of users.list()) console.log(`${u.name}\t${u.role}${u.disabled ? '\tdisabled' : ''}${u.hasPassword ? '' : '\t(no password: signs in only on loopback)'}`);
        return 0;
      case 'audit':
        for (const a of users.auditLog(200).reverse()) console.log(`${a.at}\t${a.user ?? '(command line)'}\t${a.action}\t${a.detail}`);
        return 0;
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  },
);
