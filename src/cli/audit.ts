// `fulcrum audit verify` walks every audit chain in the database itself (the server may be stopped),
// and checks it against signed checkpoints; `fulcrum audit checkpoint` exports the latest signed one
// for an outside witness (docs/audit.md). Exit codes: 0 intact, 1 tampering found (or, for checkpoint,
// none to export), 2 usage or a file named that cannot be read, 3 the check could not run.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openConfiguredDatabase, sqliteFileOf } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import type { DatabaseHandle } from '../db/adapter.js';
import { pendingMigrations } from '../db/migrate.js';
import { InputError } from '../errors.js';
import { type ArchiveReport, verifyArchive } from '../governance/evidence-verify.js';
import { checkpointFileText, latestCheckpoint, readCheckpointFile } from '../guard/audit-checkpoint.js';
import { type AuditVerifier, readPublicKey } from '../guard/audit-key.js';
import { verifyAudit } from '../guard/audit-verify.js';
import { CliError } from './client.js';
import { writeOutputFile } from './files.js';

const USAGE =
  'usage: fulcrum audit verify [--public-key FILE] [--checkpoint FILE] | audit verify --archive EVIDENCE.tar.gz [--public-key FILE] | ' +
  'audit checkpoint [-o FILE] [--public-key FILE]';

/** The check could not run (database unreachable, schema too old): not a finding about the log. */
const OPERATIONAL = 3;

/** Runs `fn` on the configured database if its schema is current; anything that fails is operational (exit 3). */
async function withDatabase(config: Config, fn: (database: DatabaseHandle) => Promise<number>): Promise<number> {
  // Opening SQLite makes the file (and its folder): a data directory named wrong was made, holding an
  // empty database the message then said to migrate. A check reads; it makes nothing.
  const file = sqliteFileOf(config);
  if (!config.databaseUrl && !fs.existsSync(file))
    throw new CliError(
      `there is no Fulcrum database at ${file}: nothing to check ` +
        "(FULCRUM_DATA_DIR names the server's data directory, FULCRUM_DATABASE_URL its PostgreSQL)",
      OPERATIONAL,
    );
  let database: DatabaseHandle | undefined;
  let ready = false;
  try {
    database = openConfiguredDatabase(config);
    const pending = await pendingMigrations(database);
    if (pending.length)
      throw new Error(
        `the database schema is older than this fulcrum (${pending.length} migration(s) not run, the first ${pending[0]}): ` +
          'start the server or run `fulcrum migrate` first',
      );
    ready = true;
    return await fn(database);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const where = database ? ` (${database.location})` : '';
    throw new CliError(
      `${ready ? 'the check could not run' : 'cannot read the audit log'}${where}: ${(err as Error).message}`,
      OPERATIONAL,
    );
  } finally {
    await database?.destroy().catch(() => undefined);
  }
}

/** One finding of a verify, as every command that verifies says it: where (a chain's entry, if any), what, and its kind. */
export function brokenLine(
  what: string,
  b: { chainId: string; seq: number | string; id: string; problem: string; kind?: string | undefined },
): string {
  const where = b.chainId === '-' ? '' : ` at chain ${b.chainId} entry ${b.seq} (${b.id})`;
  return `${what} BROKEN${where}: ${b.problem}${b.kind ? ` [${b.kind}]` : ''}`;
}

export async function audit(argv: string[]): Promise<number> {
  if (argv[0] === 'checkpoint') return exportCheckpoint(argv.slice(1));
  if (argv[0] !== 'verify') throw new CliError(USAGE, 2);
  let values: { archive?: string; 'public-key'?: string; checkpoint?: string };
  try {
    ({ values } = parseArgs({
      args: argv.slice(1),
      options: { archive: { type: 'string' }, 'public-key': { type: 'string' }, checkpoint: { type: 'string' } },
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const publicKey = values['public-key'];
  if (values.archive) {
    if (values.checkpoint) throw new CliError(`--checkpoint is for the database; an archive carries its own\n${USAGE}`, 2);
    return verifyEvidenceArchive(values.archive, publicKey ? readOrFail(() => readPublicKey(publicKey)) : undefined);
  }

  const config = loadConfig();
  const verifier = publicKey ? readOrFail(() => readPublicKey(publicKey)) : localKey(config);
  if (values.checkpoint && !verifier)
    throw new CliError('--checkpoint needs the public key: --public-key FILE (GET /v1/audit/public-key)', 2);
  const file = values.checkpoint;
  const checkpoint = file ? readOrFail(() => readCheckpointFile(file)) : undefined;
  return withDatabase(config, async (database) => {
    const r = await verifyAudit(database.db, { ...(verifier ? { verifier } : {}), ...(checkpoint ? { checkpoint } : {}) });
    const signed = !verifier
      ? 'signed checkpoints not checked: no public key (give --public-key FILE)\n'
      : r.checkpoint
        ? `checked against the signed checkpoint of ${r.checkpoint.at} (${r.checkpoint.source}, key ${verifier.keyId}): ` +
          `${r.checkpoint.entries} entries in ${r.checkpoint.chains} chain(s) then\n`
        : `no signed checkpoint to check against (key ${verifier.keyId})\n`;
    const earlier = Object.entries(r.earlierKeys ?? {})
      .map(
        ([key, n]) =>
          `${n} checkpoint(s) signed with key ${key} before key ${verifier?.keyId} signed (a key rotation): not checked with this key\n`,
      )
      .join('');
    if (r.ok) {
      process.stdout.write(
        `audit log intact: ${r.entries} entries in ${r.chains} chain(s) (${database.location})\n${signed}${earlier}`,
      );
      return 0;
    }
    for (const b of r.findings ?? []) process.stderr.write(`${brokenLine('audit log', b)}\n`);
    process.stderr.write(`${r.entries} entries verified; ${signed}${earlier}`);
    return 1;
  });
}

/** The configured key file's public half, when this machine has it (the server's data directory). */
function localKey(config: Config): AuditVerifier | undefined {
  return fs.existsSync(config.auditKeyFile) ? readOrFail(() => readPublicKey(config.auditKeyFile)) : undefined;
}

/** A file the operator named that cannot be read or is not what it should be: exit 2, saying why. */
function readOrFail<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
}

async function exportCheckpoint(argv: string[]): Promise<number> {
  let values: { output?: string; 'public-key'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { output: { type: 'string', short: 'o' }, 'public-key': { type: 'string' } },
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const out = values.output;
  const config = loadConfig();
  const publicKey = values['public-key'];
  // A witness keeps what it is given: never hand it a checkpoint whose signature was not checked.
  const verifier = publicKey ? readOrFail(() => readPublicKey(publicKey)) : localKey(config);
  if (!verifier)
    throw new CliError(
      `no key to check the checkpoint's signature with: ${config.auditKeyFile} does not exist here. ` +
        'Give --public-key FILE (GET /v1/audit/public-key, or a copy you keep); an unchecked checkpoint is not exported',
      2,
    );
  return withDatabase(config, async (database) => {
    const latest = await latestCheckpoint(database.db, verifier);
    if (!latest) {
      process.stderr.write(
        `no audit checkpoint signed with key ${verifier.keyId} in ${database.location}: the server writes one within a minute of new entries and at shutdown\n`,
      );
      return 1;
    }
    const text = checkpointFileText(latest.checkpoint, latest.body);
    if (out) await writeOutputFile(out, text);
    else process.stdout.write(text);
    if (latest.skipped)
      process.stderr.write(`warning: ${latest.skipped} newer checkpoint(s) do not verify with key ${verifier.keyId}\n`);
    process.stderr.write(
      `checkpoint of ${latest.body.at} (key ${latest.body.keyId}, signature checked): ` +
        `${latest.body.entries} entries in ${latest.body.chains.length} chain(s)${out ? ` written to ${out}` : ''}\n`,
    );
    return 0;
  });
}

async function verifyEvidenceArchive(archive: string, verifier: AuditVerifier | undefined): Promise<number> {
  let r: ArchiveReport;
  try {
    r = await verifyArchive(archive, verifier ? { verifier } : {});
  } catch (err) {
    // A file that cannot be read or is not an evidence archive (a wrong path, a cut download) says
    // nothing about the log: exit 2, as for the other files named, never 1 (a finding).
    if (err instanceof InputError) throw new CliError(err.message, 2);
    throw err;
  }
  if (r.ok) {
    process.stdout.write(
      `evidence archive chain proof intact: ${r.entries} entries in ${r.chains} chain segment(s) (${archive})\n`,
    );
    if (!r.signed)
      process.stdout.write(
        'signatures not checked: no public key (give --public-key FILE): the segments are proven by their links only\n',
      );
    else {
      process.stdout.write(`checked against the signed checkpoint of ${r.signed.at} in the archive (key ${r.signed.keyId})\n`);
      if (r.signed.unsignedEntries > 0)
        process.stdout.write(
          `warning: ${r.signed.unsignedEntries} entries come after the heads that checkpoint signed: they are proven by their links only\n`,
        );
    }
    return 0;
  }
  process.stderr.write(`${brokenLine('evidence archive chain proof', r.broken)}\n`);
  return 1;
}
