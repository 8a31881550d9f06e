// Registers voicewipe's app device for a simulated Amazon account without a browser: the Alexa app's OAuth
// sign-in through the forms over loopback HTTP, then the same register call the daemon makes, the token kept in
// the account's vault as the daemon keeps it. For tests about what happens after the one-time sign-in.
import type { SessionVault } from '../../src/browser/vault.ts';
import type { AccountConfig } from '../../src/config/types.ts';
import { authorizationCode, newPkce, newSerial, oauthSignInUrl, registerDevice } from '../../src/signin/app-device.ts';
import { SignInRecords } from '../../src/signin/record.ts';
import type { Simulator } from '../../sim/server.ts';
import { Jar, amazonSignIn } from '../sim/fixtures/http.ts';

export async function registerOverHttp(sim: Simulator, vault: SessionVault, account: AccountConfig, simId = account.id): Promise<string> {
  const acct = sim.accounts.find((a) => a.id === simId)!;
  const records = new SignInRecords(vault);
  const serial = records.load(account.id)?.device?.serial ?? newSerial();
  const pkce = newPkce();
  const start = new URL(oauthSignInUrl(account, serial, pkce));
  const jar = new Jar();
  const done = await amazonSignIn(sim, jar, acct.email, acct.password, acct.totpSecret, start.search);
  const code = authorizationCode(new URL(done.headers.get('location') ?? '/', sim.url).href);
  if (!code) throw new Error(`the OAuth sign-in did not land on /ap/maplanding (HTTP ${done.status} → ${done.headers.get('location')})`);
  const token = await registerDevice(account, serial, code, pkce);
  records.update(account.id, { method: 'app_device', renewed_at: sim.control.now(), device: { serial, refresh_token: token, registered_at: sim.control.now() } });
  return serial;
}
