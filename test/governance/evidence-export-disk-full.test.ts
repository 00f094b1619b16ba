// The evidence export is written in the server's temporary folder before it is sent. When that disk
// is full the caller hears so (503, Retry-After, naming the folder), not "internal error", and
// nothing is left behind. A small tmpfs is the full disk: the test needs to mount one (root), and is
// skipped where it cannot.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMini, type TestServer } from '../support/server.js';
import { smallDisk } from '../support/small-disk.js';

const disk = smallDisk();
const { dir: small, mounted } = disk;

describe.skipIf(!mounted)('the evidence export on a full temporary disk', () => {
  let t: TestServer;
  const tmpdir = process.env.TMPDIR;
  beforeAll(async () => {
    let key: string;
    ({ t, key } = await startMini('sqlite'));
    // Enough entries that the archive does not fit in the 64 KiB left.
    for (let i = 0; i < 40; i++)
      await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: { action: 'tool.call', tool: 'crm.refund', arguments: { amount: i, orderId: 'o'.repeat(500) } },
      });
  }, 60_000);
  afterAll(async () => {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
    await t?.close();
  });

  it('answers 503 naming the folder and ENOSPC, and leaves nothing there', async () => {
    process.env.TMPDIR = small; // os.tmpdir() reads it at each call: the server's folder is the small disk
    // Full from the start (no room for the export's folder), then with a little room (it fills while written).
    for (const fill of [64 * 1024, 32 * 1024]) {
      const filler = path.join(small, 'filler');
      fs.rmSync(filler, { force: true });
      try {
        fs.writeFileSync(filler, Buffer.alloc(fill));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err; // filled to the last byte
      }
      const res = await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/evidence' });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['retry-after']).toBe('60');
      expect(res.json().error).toEqual({
        code: 'unavailable',
        message: expect.stringMatching(
          new RegExp(
            `^the evidence archive could not be written in ${small} \\(the server's temporary folder, TMPDIR\\): ENOSPC`,
          ),
        ),
      });
      expect(fs.readdirSync(small)).toEqual(['filler']);
    }
  });
});

afterAll(() => disk.remove());
