// `voicewipe invite <account>`: a one-time sign-in link printed with a QR code to scan with a phone.
import type { Writable } from 'node:stream';
import type { Config } from '../config/types.ts';
import { databasePath } from '../context.ts';
import { openDatabase } from '../db/open.ts';
import { EXIT } from '../purge/report.ts';
import { qrMatrix, qrTerminal } from '../qr.ts';
import { InviteRefused, Invites } from './invite.ts';
import { publicUrl } from './public-url.ts';
import { SessionStore } from './sessions.ts';

export function createInvite(config: Config, accountId: string, out: Writable, err: Writable): number {
  // The daemon reads the same database: a link made here works on the running status page at once.
  const { db } = openDatabase(databasePath(config));
  try {
    const invite = new Invites(new SessionStore(db), config.accounts).create(accountId, publicUrl(config.http));
    const account = config.accounts.find((a) => a.id === accountId)!;
    const until = new Date(invite.expires_at).toTimeString().slice(0, 5);
    out.write(`${qrTerminal(qrMatrix(invite.url))}\n` +
      `Sign-in link for ${account.name} (${account.id}): works once, until ${until}.\n${invite.url}\n\n` +
      'Scan it or send it to whoever signs in to this account. It opens voicewipe\'s status page straight into\n' +
      'this account\'s sign-in and allows nothing else. The address must be reachable from their phone (http.public_url).\n');
    return EXIT.ok;
  } catch (e) {
    if (e instanceof InviteRefused) {
      err.write(`voicewipe invite: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  } finally {
    db.close();
  }
}
