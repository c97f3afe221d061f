import { useRef, useState } from 'preact/hooks';
import {
  answerMfa,
  beginMfaSetup,
  CognitoError,
  finishMfaSetup,
  setNewPassword,
  signIn,
  totpUri,
  type PoolConfig,
  type SignInStep,
} from '../../shared/auth/sign-in';
import { passwordProblems } from '../../shared/domain/staff-access';
import { ErrorSummary, TextField } from './field';
import { Page } from './main';

type Step = { step: 'password' } | Exclude<SignInStep, { step: 'signed-in' }> | { step: 'mfa-verify'; session: string; secret: string };

const titles: Record<Step['step'], string> = {
  password: 'Sign in',
  'new-password': 'Choose a new password',
  mfa: 'Enter your authenticator code',
  'mfa-setup': 'Set up an authenticator app',
  'mfa-verify': 'Set up an authenticator app',
};

/** Sign-in with Cognito's steps: password, then a new password and MFA (set-up or code) when asked. */
export function SignIn({ pool, onSignedIn }: { pool: PoolConfig; onSignedIn: (token: string) => Promise<void> }) {
  const [step, setStep] = useState<Step>({ step: 'password' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fresh, setFresh] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<{ id: string; message: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const errorOf = (id: string) => errors.find((error) => error.id === id)?.message;

  const fail = (list: { id: string; message: string }[]) => {
    setErrors(list);
    setTimeout(() => summary.current?.focus());
  };

  const next = async (result: SignInStep) => {
    setErrors([]);
    setCode('');
    if (result.step === 'signed-in') return onSignedIn(result.accessToken);
    if (result.step === 'mfa-setup') {
      const { SecretCode, Session } = await beginMfaSetup(pool, result.session);
      return setStep({ step: 'mfa-verify', session: Session, secret: SecretCode });
    }
    setStep(result);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const missing: { id: string; message: string }[] = [];
    if (step.step === 'password') {
      if (!email.trim()) missing.push({ id: 'email', message: 'Enter your email address' });
      if (!password) missing.push({ id: 'password', message: 'Enter your password' });
    }
    if (step.step === 'new-password') {
      const problems = passwordProblems(fresh);
      if (problems.length) missing.push({ id: 'new-password', message: `Your new password needs ${problems.join(', ')}` });
    }
    if ((step.step === 'mfa' || step.step === 'mfa-verify') && !/^\d{6}$/.test(code))
      missing.push({ id: 'code', message: 'Enter the 6-digit code from your authenticator app' });
    if (missing.length) return fail(missing);
    setBusy(true);
    try {
      if (step.step === 'password') await next(await signIn(pool, email.trim(), password));
      else if (step.step === 'new-password') await next(await setNewPassword(pool, email.trim(), step.session, fresh));
      else if (step.step === 'mfa') await next(await answerMfa(pool, email.trim(), step.session, code));
      else if (step.step === 'mfa-verify') await next(await finishMfaSetup(pool, email.trim(), step.session, code));
    } catch (error) {
      const field = step.step === 'password' ? 'password' : step.step === 'new-password' ? 'new-password' : 'code';
      const message =
        error instanceof CognitoError && error.code === 'NotAuthorizedException' ? 'The email address or password is not right' : (error as Error).message;
      fail([{ id: field, message }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={titles[step.step]}>
      <ErrorSummary errors={errors} summaryRef={summary} />
      <form onSubmit={submit} noValidate class="narrow">
        {step.step === 'password' && (
          <>
            <TextField
              id="email"
              label="Email address"
              type="email"
              autocomplete="username"
              spellcheck={false}
              value={email}
              onInput={setEmail}
              error={errorOf('email')}
            />
            <TextField
              id="password"
              label="Password"
              type="password"
              autocomplete="current-password"
              value={password}
              onInput={setPassword}
              error={errorOf('password')}
            />
          </>
        )}
        {step.step === 'new-password' && (
          <TextField
            id="new-password"
            label="New password"
            type="password"
            autocomplete="new-password"
            hint="At least 12 characters, with upper and lower case letters, a digit and a symbol."
            value={fresh}
            onInput={setFresh}
            error={errorOf('new-password')}
          />
        )}
        {step.step === 'mfa-verify' && (
          <div class="field">
            <p>Add this account to your authenticator app with the key below (or open the link on this device), then enter the code it shows.</p>
            <p>
              Key: <code class="secret">{step.secret}</code>
            </p>
            <p>
              <a href={totpUri(email.trim(), step.secret)}>Open in authenticator app</a>
            </p>
          </div>
        )}
        {(step.step === 'mfa' || step.step === 'mfa-verify') && (
          <TextField id="code" label="6-digit code" inputMode="numeric" autocomplete="one-time-code" value={code} onInput={setCode} error={errorOf('code')} />
        )}
        <button type="submit" disabled={busy}>
          {step.step === 'password' ? 'Sign in' : 'Continue'}
        </button>
      </form>
    </Page>
  );
}
