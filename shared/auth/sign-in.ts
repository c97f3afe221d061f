/**
 * Signing in to the staff user pool over Cognito's JSON API with `fetch`: the one sign-in
 * code the staff app (in the browser) and `tracker staff token` (in Node) share, against
 * Amazon Cognito when deployed and cognito-local on one machine. No SDK, so the app stays small.
 */
export interface PoolConfig {
  /** `https://cognito-idp.<region>.amazonaws.com`, or the local emulator's URL. */
  endpoint: string;
  clientId: string;
}

export type SignInStep =
  | { step: 'signed-in'; accessToken: string; expiresIn: number; refreshToken?: string }
  /** First sign-in with a temporary password: choose a permanent one. */
  | { step: 'new-password'; session: string }
  /** An authenticator app code is needed. */
  | { step: 'mfa'; session: string }
  /** MFA is required and not set up yet: register an authenticator app first. */
  | { step: 'mfa-setup'; session: string };

export class CognitoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CognitoError';
  }
}

interface AuthResponse {
  AuthenticationResult?: { AccessToken: string; ExpiresIn?: number; RefreshToken?: string };
  ChallengeName?: string;
  Session?: string;
}

export async function cognitoCall<T>(pool: PoolConfig, action: string, body: Record<string, unknown>): Promise<T> {
  const response = await fetch(pool.endpoint.replace(/\/?$/, '/'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    const code = String(parsed.__type ?? parsed.code ?? response.status)
      .split('#')
      .at(-1)!;
    throw new CognitoError(code, String(parsed.message ?? parsed.Message ?? `${action} failed (${response.status})`));
  }
  return parsed as T;
}

/** The token's own lifetime (exp − iat), read, not verified: for emulators that leave ExpiresIn out. */
function lifetimeOf(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number; iat: number };
    return payload.exp - payload.iat;
  } catch {
    return 0;
  }
}

function stepOf(response: AuthResponse): SignInStep {
  const result = response.AuthenticationResult;
  if (result)
    return {
      step: 'signed-in',
      accessToken: result.AccessToken,
      expiresIn: result.ExpiresIn ?? lifetimeOf(result.AccessToken),
      refreshToken: result.RefreshToken,
    };
  const session = response.Session ?? '';
  switch (response.ChallengeName) {
    case 'NEW_PASSWORD_REQUIRED':
      return { step: 'new-password', session };
    case 'SOFTWARE_TOKEN_MFA':
      return { step: 'mfa', session };
    case 'MFA_SETUP':
      return { step: 'mfa-setup', session };
    default:
      throw new CognitoError('UnsupportedChallenge', `sign-in needs a step this app does not support (${response.ChallengeName})`);
  }
}

export async function signIn(pool: PoolConfig, email: string, password: string): Promise<SignInStep> {
  return stepOf(
    await cognitoCall<AuthResponse>(pool, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: pool.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
}

function respond(pool: PoolConfig, challenge: string, session: string, responses: Record<string, string>) {
  return cognitoCall<AuthResponse>(pool, 'RespondToAuthChallenge', {
    ClientId: pool.clientId,
    ChallengeName: challenge,
    Session: session,
    ChallengeResponses: responses,
  }).then(stepOf);
}

export const setNewPassword = (pool: PoolConfig, email: string, session: string, newPassword: string) =>
  respond(pool, 'NEW_PASSWORD_REQUIRED', session, { USERNAME: email, NEW_PASSWORD: newPassword });

export const answerMfa = (pool: PoolConfig, email: string, session: string, code: string) =>
  respond(pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code });

/** MFA_SETUP, part 1: the secret to put in an authenticator app (and the session to carry on with). */
export const beginMfaSetup = (pool: PoolConfig, session: string) =>
  cognitoCall<{ SecretCode: string; Session: string }>(pool, 'AssociateSoftwareToken', { Session: session });

/** MFA_SETUP, part 2: the app's first code proves it is set up; then the challenge is answered. */
export async function finishMfaSetup(pool: PoolConfig, email: string, session: string, code: string): Promise<SignInStep> {
  const verified = await cognitoCall<{ Status: string; Session: string }>(pool, 'VerifySoftwareToken', {
    Session: session,
    UserCode: code,
    FriendlyDeviceName: 'Authenticator app',
  });
  if (verified.Status !== 'SUCCESS') throw new CognitoError('CodeMismatchException', 'that code is not right: try the newest one');
  return respond(pool, 'MFA_SETUP', verified.Session, { USERNAME: email });
}

/** `otpauth://` URI for the authenticator app (shown as text: no QR library, keeps the bundle small). */
export const totpUri = (email: string, secret: string) =>
  `otpauth://totp/${encodeURIComponent(`Intervention tracker:${email}`)}?secret=${secret}&issuer=${encodeURIComponent('Intervention tracker')}`;
