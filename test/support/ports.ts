// Ports chosen before anything listens: for a server whose address must be known first (a redirect
// URI names it), or an address where nothing answers.
import net from 'node:net';

/** A port on 127.0.0.1 that nothing listens on now: bound, then released. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
