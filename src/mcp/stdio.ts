// Starting a stdio upstream is the operator's decision: only an exact command line listed in
// FULCRUM_MCP_STDIO_ALLOW runs, and it runs with a minimal environment (none of Fulcrum's settings
// or secrets).
import { InputError } from '../errors.js';

export const STDIO_SETTING = 'FULCRUM_MCP_STDIO_ALLOW';

/** Command lines (the command, then each argument) that stdio McpServers may run. */
export type StdioAllowList = readonly (readonly string[])[];

const EXAMPLE = '[["npx","-y","@modelcontextprotocol/server-everything@2026.8.31"]]';

/** FULCRUM_MCP_STDIO_ALLOW, a JSON array of command lines; absent or empty: none. */
export function parseStdioAllow(value: string | undefined, name = STDIO_SETTING): string[][] {
  if (value === undefined || value.trim() === '') return [];
  const fail = (why: string) =>
    new InputError(`${name} must be a JSON array of command lines, each an array of strings (e.g. ${EXAMPLE}): ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw fail((err as Error).message);
  }
  if (!Array.isArray(parsed)) throw fail('not an array');
  return parsed.map((line, i) => {
    if (!Array.isArray(line) || line.length === 0 || !line.every((a) => typeof a === 'string'))
      throw fail(`entry ${i} is not a non-empty array of strings`);
    if (line[0] === '') throw fail(`entry ${i} has an empty command`);
    return line as string[];
  });
}

/** Whether `command args…` is exactly one of the allowed command lines. */
export function stdioAllowed(allow: StdioAllowList, command: string, args: readonly string[] = []): boolean {
  return allow.some((line) => line.length === args.length + 1 && line[0] === command && args.every((a, i) => a === line[i + 1]));
}

export function notAllowedMessage(command: string, args: readonly string[] = []): string {
  return `the command line ${JSON.stringify([command, ...args])} is not in ${STDIO_SETTING}, the operator's list of commands Fulcrum may start (unset: none)`;
}

// What a child gets from Fulcrum's environment: enough to find programs, a home, a locale and a
// temporary directory. Nothing else: no FULCRUM_* setting or secret, no cloud or proxy credentials.
// A server that needs a credential gets it from a wrapper script the operator allows.
const POSIX = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR'];
const WINDOWS = [
  'APPDATA',
  'HOMEDRIVE',
  'HOMEPATH',
  'LOCALAPPDATA',
  'PATH',
  'PROCESSOR_ARCHITECTURE',
  'SYSTEMDRIVE',
  'SYSTEMROOT',
  'TEMP',
  'TMP',
  'USERNAME',
  'USERPROFILE',
  'PROGRAMFILES',
];
export const CHILD_ENV_NAMES: readonly string[] = process.platform === 'win32' ? WINDOWS : POSIX;

export function childEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of CHILD_ENV_NAMES) {
    const value = env[name];
    // A value starting "()" is an exported shell function (the SDK skips them too).
    if (value !== undefined && !value.startsWith('()')) out[name] = value;
  }
  return out;
}
