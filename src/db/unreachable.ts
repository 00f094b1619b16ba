// Whether an error means the database could not be reached or lost the connection (PostgreSQL
// restarted, failed over, ended the backend, or stopped answering; SQLite's file locked past its
// busy timeout), as
// opposed to a query it refused. Such a request is answered 503 `unavailable`, and may be retried.

/** PostgreSQL SQLSTATE classes and codes for a connection that is gone or refused. */
const PG_UNREACHABLE = /^(08...|57P0[1-4]|53300)$/; // connection exception, shutdown, too many connections
const NET_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** What `pg` says, with no code, when a connection ends under a query or was already broken. */
const PG_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect)/;

export function databaseUnreachable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    (PG_UNREACHABLE.test(code) || NET_UNREACHABLE.has(code) || code === 'SQLITE_BUSY' || code === 'FULCRUM_DATABASE_TIMEOUT')
  )
    return true;
  return typeof message === 'string' && PG_MESSAGES.test(message);
}
