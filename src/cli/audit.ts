// `fulcrum audit verify` walks every audit chain in the database itself (the server may be stopped),
// and checks it against signed checkpoints; `fulcrum audit checkpoint` exports the latest signed one
// for an outside witness (docs/audit.md).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openConfiguredDatabase } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { verifyArchive } from '../governance/evidence-export.js';
import { checkpointFileText, latestCheckpoint, readCheckpointFile } from '../guard/audit-checkpoint.js';
import { type AuditVerifier, readPublicKey } from '../guard/audit-key.js';
import { verifyAudit } from '../guard/audit-verify.js';
import { CliError } from './client.js';

const USAGE =
  'usage: fulcrum audit verify [--public-key FILE] [--checkpoint FILE] | audit verify --archive EVIDENCE.tar.gz | audit checkpoint [-o FILE]';

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
  if (values.archive) return verifyEvidenceArchive(values.archive);

  const config = loadConfig();
  const publicKey = values['public-key'];
  const verifier = publicKey ? readOrFail(() => readPublicKey(publicKey)) : localKey(config);
  if (values.checkpoint && !verifier)
    throw new CliError('--checkpoint needs the public key: --public-key FILE (GET /v1/audit/public-key)', 2);
  const file = values.checkpoint;
  const checkpoint = file ? readOrFail(() => readCheckpointFile(file)) : undefined;
  const database = openConfiguredDatabase(config);
  try {
    const r = await verifyAudit(database.db, { ...(verifier ? { verifier } : {}), ...(checkpoint ? { checkpoint } : {}) });
    const signed = !verifier
      ? 'signed checkpoints not checked: no public key (give --public-key FILE)\n'
      : r.checkpoint
        ? `checked against the signed checkpoint of ${r.checkpoint.at} (${r.checkpoint.source}, key ${verifier.keyId}): ` +
          `${r.checkpoint.entries} entries in ${r.checkpoint.chains} chain(s) then\n`
        : `no signed checkpoint to check against (key ${verifier.keyId})\n`;
    if (r.ok) {
      process.stdout.write(`audit log intact: ${r.entries} entries in ${r.chains} chain(s) (${database.location})\n${signed}`);
      return 0;
    }
    for (const b of r.findings ?? [])
      process.stderr.write(
        b.chainId === '-'
          ? `audit log BROKEN: ${b.problem}${b.kind ? ` [${b.kind}]` : ''}\n`
          : `audit log BROKEN at chain ${b.chainId} entry ${b.seq} (${b.id}): ${b.problem}${b.kind ? ` [${b.kind}]` : ''}\n`,
      );
    process.stderr.write(`${r.entries} entries verified; ${signed}`);
    return 1;
  } finally {
    await database.destroy();
  }
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
  let out: string | undefined;
  try {
    out = parseArgs({ args: argv, options: { output: { type: 'string', short: 'o' } } }).values.output;
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const config = loadConfig();
  const verifier = localKey(config);
  const database = openConfiguredDatabase(config);
  try {
    const latest = await latestCheckpoint(database.db, verifier);
    if (!latest) {
      process.stderr.write(
        `no ${verifier ? 'validly signed ' : ''}audit checkpoint in ${database.location}: the server writes one within a minute of new entries and at shutdown\n`,
      );
      return 1;
    }
    const text = checkpointFileText(latest.checkpoint, latest.body);
    if (out) fs.writeFileSync(out, text);
    else process.stdout.write(text);
    if (latest.skipped)
      process.stderr.write(`warning: ${latest.skipped} newer checkpoint(s) do not verify with key ${verifier?.keyId}\n`);
    process.stderr.write(
      `checkpoint of ${latest.body.at} (key ${latest.body.keyId}${verifier ? ', signature checked' : ', signature NOT checked: no key here'}): ` +
        `${latest.body.entries} entries in ${latest.body.chains.length} chain(s)${out ? ` written to ${out}` : ''}\n`,
    );
    return 0;
  } finally {
    await database.destroy();
  }
}

async function verifyEvidenceArchive(archive: string): Promise<number> {
  const r = await verifyArchive(archive);
  if (r.ok) {
    process.stdout.write(
      `evidence archive chain proof intact: ${r.entries} entries in ${r.chains} chain segment(s) (${archive})\n`,
    );
    return 0;
  }
  process.stderr.write(
    `evidence archive chain proof BROKEN at chain ${r.broken.chainId} entry ${r.broken.seq} (${r.broken.id}): ${r.broken.problem}\n`,
  );
  return 1;
}
