// Sign in through the company's IdP when Fulcrum has one (GET /auth/login), or with a person's API
// token: checked against /v1/whoami before it is kept for this tab.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Logo } from '../components/layout';
import { type Whoami, whoami } from '../lib/api';
import { type SignInInfo, SSO_SESSION, signInInfo } from '../lib/session';

export function SignIn({ expired, onSignedIn }: { expired: boolean; onSignedIn(token: string, me: Whoami): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(
    expired ? 'Your session ended: the token was revoked or is no longer valid. Sign in again.' : null,
  );
  const [busy, setBusy] = useState(false);
  const [info, setInfo] = useState<SignInInfo | null>(null);

  const signedIn = useRef(onSignedIn);
  signedIn.current = onSignedIn;

  // Back from the IdP (or a new tab of a signed-in browser): the session cookie is the sign-in.
  useEffect(() => {
    let live = true;
    signInInfo().then(
      (i) => {
        if (!live) return;
        // Who is signed in, with the permissions the server gives their roles.
        if (i.session)
          whoami(SSO_SESSION).then(
            (me) => live && signedIn.current(SSO_SESSION, me),
            () => live && setInfo(i),
          );
        else setInfo(i);
      },
      () => live && setInfo({ signIn: { oidc: false, deviceLogin: false }, session: null }),
    );
    return () => {
      live = false;
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const t = token.trim();
    if (!t) {
      setError('Paste your API token to sign in.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(t, await whoami(t));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  const returnTo = `${window.location.pathname}${window.location.search}`;
  const sso = info?.signIn.oidc ? (
    <>
      <a className="btn btn-primary btn-block" href={`/auth/login?returnTo=${encodeURIComponent(returnTo)}`}>
        Sign in with {info.signIn.name}
      </a>
      <p className="muted">Your roles are those of your Person in Fulcrum, found by your email.</p>
    </>
  ) : null;

  const tokenForm = (
    <>
      <p id="signin-help" className="muted">
        Use your personal API token (it starts with <code>fpt_</code>). An administrator creates one with{' '}
        <code>fulcrum tokens create --person &lt;you&gt;</code>. It stays in this browser tab only.
      </p>
      <label className="field">
        <span>API token</span>
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'signin-error' : undefined}
          // biome-ignore lint/a11y/noAutofocus: the only field on the page
          autoFocus
        />
      </label>
      {error && (
        <p id="signin-error" className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className={`btn ${sso ? '' : 'btn-primary '}btn-block`} disabled={busy}>
        {busy ? 'Checking…' : 'Sign in'}
      </button>
    </>
  );

  return (
    <div className="signin">
      <form className="signin-card" onSubmit={submit} aria-describedby="signin-help">
        <div className="signin-brand">
          <Logo />
          <span>Fulcrum</span>
        </div>
        <h1>Sign in to the console</h1>
        {sso}
        {sso ? (
          <details>
            <summary>Use an API token instead</summary>
            {tokenForm}
          </details>
        ) : (
          tokenForm
        )}
      </form>
    </div>
  );
}
