// The `fulcrum` command: one subcommand per file in this folder.

import { parseArgs } from 'node:util';
import { compileWasmForShortCalls } from '../policy/cedar-runtime.js';
import { apply } from './apply.js';
import { audit } from './audit.js';
import { backup, restore } from './backup.js';
import { backupStatus } from './backup-status.js';
import { CliError, lastAnswer } from './client.js';
import { credentials } from './credentials.js';
import { demo } from './demo.js';
import { diagnoseCommand } from './diagnose.js';
import { exportRegistry } from './export.js';
import { governance } from './governance.js';
import { budgetCommand, reportCommand, signalsCommand } from './insight.js';
import { login, logout } from './login.js';
import { mcp } from './mcp.js';
import { migrate } from './migrate.js';
import { printOpenApi } from './openapi.js';
import { ops } from './ops.js';
import { planCommand } from './plan.js';
import { registryView } from './registry-views.js';
import { printSchemaReport } from './schema-report.js';
import { serve } from './serve.js';
import { sessions } from './sessions.js';
import { spendLimits } from './spend-limits.js';
import { showOnlyText } from './terminal.js';

const HELP = `fulcrum — the control plane for running enterprise AI at scale

usage: fulcrum <command> [options]

  serve [--host H] [--port P]     run the server (API, docs, metrics) on FULCRUM_PORT (4100)
  demo [--seed N] [--days 90] [--port P] [--data-dir DIR] [--exit-after-replay]
                                  a fresh Fulcrum with examples/acme and 90 days of replayed activity
  apply -f PATH [--dry-run] [--prune]
                                  validate descriptors (file or folder) and apply them, all or nothing
  export [-o DIR]                 write the registry back out as descriptors
  keys create|list|revoke --agent NAME | --collector NAME [ID]
                                  agent or telemetry-collector keys (the secret is printed once)
  tokens create|list|revoke --person NAME [ID]
                                  person API tokens
  login [--url URL] / logout     sign in through the company's IdP (device code; docs/auth.md), or out
  sessions list|end [ID] [--all] [--person NAME] [--json]
                                  sign-in sessions (console, fulcrum login): yours, or as an admin a person's;
                                  end one by ID, or --all but this one
  diagnose [--json]               scale or fail: the six-area scorecard from live evidence
  report [--format pdf|html|md|json] [-o FILE]
                                  the board report (Markdown to stdout unless -o)
  signals [--json]                stalled pilots, agent sprawl, where AI is not ready
  plan [--json]                   what to scale, fix, keep piloting or stop; the roadmap and the model mix
                                  (--trend-days N, --min-trend-days N, ...: each threshold of GET /v1/plan)
  budget alignment NAME [--json]  allocation against actual spend per category
  budget import NAME -f FILE      import spend lines (CSV date,category,amount,initiative,description; or .json)
  budget imports NAME             list a budget's spend imports
  budget withdraw NAME IMPORT_ID  withdraw an import and its lines (before importing a corrected re-issue)
  spend-limits [list] | status NAME [--json]
                                  the LLM gateway's spend limits: spent, in flight, left; burn-down by hour
  approvals list|approve|deny [ID] [--status S] [--comment TEXT]
                                  the human-approval queue
  agents suspend|resume NAME --reason TEXT
                                  the kill switch
  decisions [--agent A] [--decision D] [--limit N]
                                  recent decisions from the audit log
  simulate --agent A (--tool T [--arguments JSON] | --model M) [--data-domains D,E] [--json]
                                  what a call would be answered, and by which policies (nothing recorded)
  policies [--cedar] [--json]     every policy in force: built-in rules and custom policies (--cedar: the text)
  changes [--limit N] [--json]    the registry's change log, newest first: who changed what, when
  shadow-agents [--limit N] [--after CURSOR] [--json]
                                  identities seen acting without a valid registration
  costs [--group-by agent|initiative|model|business-unit] [--from D] [--to D] [--limit N]
                                  spend
  outcomes INITIATIVE             outcome metrics against baseline and target
  outcomes INITIATIVE record METRIC VALUE --period PERIOD
                                  record a manual metric's value (self-reported)
  outcomes INITIATIVE measurements [--limit N]
                                  every self-reported value, newest first, with who recorded it
  roi INITIATIVE                  value against cost, with provenance
  incidents [list|show|open|move|note|report]
                                  incidents, their timeline and the Art. 73 reporting clock
  reviews [list|show|promote|sign-off]
                                  stage promotions and their sign-offs
  risk questionnaire|assess|history
                                  risk tiers (EU AI Act classes) from the questionnaire's answers
  monitors [status|evaluate]      what the monitors measure, breaches and the incidents they opened
  retention [show|set TYPE=DAYS…|purge] [--dry-run]
                                  retention periods and the purge
  evidence export --initiative NAME -o FILE.tar.gz
                                  an auditor's archive for one initiative
  audit verify [--public-key FILE] [--checkpoint FILE] [--archive FILE]
                                  walk every audit chain in the database (works with the server stopped)
                                  and check it against signed checkpoints, or an evidence archive's segments
  audit checkpoint [-o FILE] [--public-key FILE]
                                  export the latest signed audit checkpoint (signature checked) for an outside witness
  mcp discover SERVER [--all] [--write DIR]
                                  an McpServer's tools not in the registry yet, as Tool descriptors
  migrate                         bring the database schema up to date
  backup --to FILE                a consistent copy of a SQLite node's database, taken while it serves
                                  (checked; not the audit signing key nor the admin token: docs/operations.md)
  backup status [--json]          when the node's last good backup was taken, where, how large, what its check found
  restore --from FILE             put a backup in place of the data directory's database (the server stopped)
  schema-report                   print the schema report (docs/schema.md)
  openapi                         print the HTTP API's OpenAPI document (what GET /openapi.json serves)

Client commands talk to a server: --url or FULCRUM_URL (default http://127.0.0.1:4100),
with FULCRUM_TOKEN, else the session of fulcrum login, else the admin token in $FULCRUM_DATA_DIR/admin-token.
fulcrum <command> --help prints this list's lines about one command, and does nothing else.
`;

/**
 * The entries of HELP, each with the commands it describes: its first word, and a word after ` / `
 * (`login … / logout`). An entry is its head line and the indented lines under it.
 */
export function helpEntries(): Array<{ commands: string[]; text: string }> {
  const entries: Array<{ commands: string[]; text: string }> = [];
  for (const line of HELP.split('\n')) {
    const head = /^ {2}([a-z][a-z-]*)\b/.exec(line);
    if (head) {
      const commands = [head[1] as string, ...[...line.matchAll(/ \/ ([a-z][a-z-]*)\b/g)].map((m) => m[1] as string)];
      entries.push({ commands, text: `${line}\n` });
    } else if (/^ {3,}\S/.test(line) && entries.length > 0) (entries.at(-1) as { text: string }).text += `${line}\n`;
  }
  return entries;
}

/** What `fulcrum COMMAND --help` prints: the lines of HELP about COMMAND, or nothing for an unknown one. */
function commandHelp(command: string): string | undefined {
  const text = helpEntries()
    .filter((e) => e.commands.includes(command))
    .map((e) => e.text)
    .join('');
  return text ? `usage: fulcrum <command> [options]\n\n${text}` : undefined;
}

export async function main(argv: string[]): Promise<number> {
  compileWasmForShortCalls();
  const [command, ...rest] = argv;
  // `--help` anywhere before a `--` asks what the command does, never for it to run: `migrate --help`
  // must not migrate a database, nor `serve --help` start a server.
  const end = rest.indexOf('--');
  if (command && (end < 0 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h')) {
    const help = commandHelp(command);
    if (help) {
      process.stdout.write(help);
      return 0;
    }
  }
  // Client commands print what servers, agents and people wrote (src/cli/terminal.ts); the server's own
  // commands print what it wrote itself, and its logs are JSON.
  if (command !== 'serve' && command !== 'demo' && command !== 'migrate') {
    showOnlyText(process.stdout);
    showOnlyText(process.stderr);
  }
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'apply':
        return await apply(rest);
      case 'export':
        return await exportRegistry(rest);
      case 'keys':
      case 'tokens':
        return await credentials(command, rest);
      case 'login':
        return await login(rest);
      case 'logout':
        return await logout(rest);
      case 'sessions':
        return await sessions(rest);
      case 'simulate':
      case 'policies':
      case 'changes':
      case 'shadow-agents':
        return await registryView(command, rest);
      case 'audit':
        return await audit(rest);
      case 'demo':
        return await demo(rest);
      case 'diagnose':
        return await diagnoseCommand(rest);
      case 'report':
        return await reportCommand(rest);
      case 'signals':
        return await signalsCommand(rest);
      case 'plan':
        return await planCommand(rest);
      case 'budget':
        return await budgetCommand(rest);
      case 'spend-limits':
        return await spendLimits(rest);
      case 'approvals':
      case 'agents':
      case 'costs':
      case 'outcomes':
      case 'roi':
      case 'decisions':
      case 'evidence':
        return await ops(command, rest);
      case 'incidents':
      case 'reviews':
      case 'risk':
      case 'monitors':
      case 'retention':
        return await governance(command, rest);
      case 'mcp':
        return await mcp(rest);
      case 'migrate':
        // It takes nothing: anything given (`--dry-run`) stops it rather than being ignored as it migrates.
        parseArgs({ args: rest, options: {} });
        return await migrate();
      case 'backup':
        return rest[0] === 'status' ? await backupStatus(rest.slice(1)) : await backup(rest);
      case 'restore':
        return await restore(rest);
      case 'schema-report':
        parseArgs({ args: rest, options: {} });
        return await printSchemaReport();
      case 'openapi':
        parseArgs({ args: rest, options: {} });
        return await printOpenApi();
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return 0;
      default:
        process.stderr.write(`unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`fulcrum ${command}: ${err.message}\n`);
      // The server's details say what and where (a field, a line): at most 20 of them.
      const details = Array.isArray(err.details) ? (err.details as Array<{ path?: unknown; message?: unknown }>) : [];
      for (const d of details.slice(0, 20))
        if (typeof d?.message === 'string')
          process.stderr.write(`  ${typeof d.path === 'string' && d.path ? `${d.path}: ` : ''}${d.message}\n`);
      if (details.length > 20) process.stderr.write(`  … and ${details.length - 20} more\n`);
      return err.exitCode;
    }
    if (err instanceof SyntaxError) {
      // The typed client parses a success's body as JSON: what answered is not a Fulcrum server (a proxy's
      // sign-in page, another service on that port).
      process.stderr.write(
        `fulcrum ${command}: the server's answer is not JSON (${err.message.slice(0, 120)}): is --url / FULCRUM_URL a Fulcrum server?\n`,
      );
      return 1;
    }
    if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`fulcrum ${command}: ${err.message}\n`);
      return 2;
    }
    const answer = lastAnswer();
    if (err instanceof TypeError && answer) {
      // A success this command cannot read (a field missing, `{}`, no body): another service's JSON on
      // that port, or a Fulcrum of another version. Said as that answer's failure, naming it; the
      // reader's own words are kept, as they are all there is to go on should it be fulcrum's fault.
      process.stderr.write(
        `fulcrum ${command}: the answer of Fulcrum at ${answer.server} to ${answer.path} is not what this fulcrum reads ` +
          `(${err.message.slice(0, 200)}): is --url / FULCRUM_URL a Fulcrum server, of this version?\n`,
      );
      return 1;
    }
    throw err;
  }
}
