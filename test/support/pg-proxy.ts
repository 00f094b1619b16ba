// A TCP proxy in front of the test PostgreSQL, for connection faults a real server process meets:
// the answer to a commit lost after PostgreSQL has committed it, and a database that stops answering
// (a network partition, a host that froze) without closing anything.
import net from 'node:net';

export interface PgProxy {
  /** `url` (a database on the proxied server) through the proxy. */
  url(url: string): string;
  /** The next commit of an audit group commit (a transaction that moved a chain's head) reaches
   *  PostgreSQL, which commits it; its answer is dropped and the connection cut. Resolves when cut. */
  loseNextAuditCommitAnswer(): Promise<void>;
  /** From now on nothing passes, either way, and new connections are held unanswered; open ones stay open. */
  freeze(): void;
  /** Everything passes again (held bytes included). */
  thaw(): void;
  close(): Promise<void>;
}

const HEAD_MOVED = Buffer.from('update "audit_chains" set "head_seq"');
const COMMIT = Buffer.from('commit\0');

export async function startPgProxy(target: string): Promise<PgProxy> {
  const { hostname, port } = new URL(target);
  let armed: (() => void) | undefined;
  let frozen = false;
  const held = new Set<net.Socket>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    if (frozen) {
      client.pause();
      upstream.pause();
      held.add(client).add(upstream);
    }
    let headMoved = false;
    let dropAnswer: (() => void) | undefined;
    client.on('data', (chunk: Buffer) => {
      if (armed && chunk.includes(HEAD_MOVED)) headMoved = true;
      if (armed && headMoved && chunk.includes(COMMIT)) {
        dropAnswer = armed;
        armed = undefined;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!dropAnswer) return void client.write(chunk);
      // PostgreSQL has answered the commit: it is done. The client never hears so.
      client.destroy();
      upstream.destroy();
      dropAnswer();
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const local = (server.address() as net.AddressInfo).port;
  return {
    url(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(local);
      return u.toString();
    },
    freeze() {
      frozen = true;
      for (const s of sockets) {
        s.pause();
        held.add(s);
      }
    },
    thaw() {
      frozen = false;
      for (const s of held) s.resume();
      held.clear();
    },
    loseNextAuditCommitAnswer: () =>
      new Promise<void>((resolve) => {
        armed = resolve;
      }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
