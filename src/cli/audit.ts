// `fulcrum audit verify`: walks every audit chain in the database itself (the server may be stopped).
import { openConfiguredDatabase } from '../app.js';
import { loadConfig } from '../config.js';
import { verifyArchive } from '../governance/evidence-export.js';
import { verifyAudit } from '../guard/audit-verify.js';
import { CliError } from './client.js';

export async function audit(argv: string[]): Promise<number> {
  if (argv[0] !== 'verify') throw new CliError('usage: fulcrum audit verify [--archive EVIDENCE.tar.gz]', 2);
  const archive = argv[1] === '--archive' ? argv[2] : undefined;
  if (argv[1] === '--archive' && !archive) throw new CliError('usage: fulcrum audit verify --archive EVIDENCE.tar.gz', 2);
  if (archive) {
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
  const database = openConfiguredDatabase(loadConfig());
  try {
    const r = await verifyAudit(database.db);
    if (r.ok) {
      process.stdout.write(`audit log intact: ${r.entries} entries in ${r.chains} chain(s) (${database.location})\n`);
      return 0;
    }
    const b = r.broken as NonNullable<typeof r.broken>;
    process.stderr.write(
      `audit log BROKEN at chain ${b.chainId} entry ${b.seq} (${b.id}): ${b.problem}\n` +
        `${r.entries} entries before it verified\n`,
    );
    return 1;
  } finally {
    await database.destroy();
  }
}
