// Preloaded (node --import) into third-party test peers: binds their servers to 127.0.0.1 only,
// whatever they ask for, and prints the port they got so the test can find them.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    const port = Number(args[0]);
    const cb = args.find((a) => typeof a === 'function');
    this.once('listening', () => process.stderr.write(`LOOPBACK_PORT=${this.address().port}\n`));
    return listen.call(this, port, '127.0.0.1', ...(cb ? [cb] : []));
  }
  return listen.apply(this, args);
};
