import { randomBytes } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  GetGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { OutboxMailer } from '../../shared/adapters/local/outbox';
import { answerMfa, CognitoError, signIn } from '../../shared/auth/sign-in';
import { passwordProblems, roleGroup, schoolGroup, staffRoles, type StaffRole } from '../../shared/domain/staff-access';
import { escapeHtml } from '../../shared/domain/messages/format';
import { emulatorCredentials } from '../local/cognito-local';
import { CliError, type CliTarget, type StaffPoolRef } from './targets';

/** `tracker staff add | remove | token` (contract section 6), on the local stack or a stage. */
export interface StaffOptions {
  email?: string;
  role?: string;
  school?: string;
  password?: string;
  'mfa-code'?: string;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function adminClient(pool: StaffPoolRef): CognitoIdentityProviderClient {
  return pool.outboxDir
    ? new CognitoIdentityProviderClient({ endpoint: pool.endpoint, region: pool.region, credentials: emulatorCredentials })
    : new CognitoIdentityProviderClient({ region: pool.region });
}

function needEmail(options: StaffOptions): string {
  const email = options.email?.trim().toLowerCase();
  if (!email || !emailPattern.test(email)) throw new CliError('--email EMAIL is required (tracker --help)');
  return email;
}

const ignoreExisting = (code: string) => (error: Error) => {
  if (error.name !== code) throw error;
};

/** A temporary password that passes the pool's policy (the user replaces it at first sign-in). */
const temporaryPassword = () => `${randomBytes(12).toString('base64url')}aA1!`;

export async function addStaff(options: StaffOptions, where: CliTarget) {
  const email = needEmail(options);
  const role = options.role as StaffRole;
  if (!staffRoles.includes(role)) throw new CliError(`--role must be one of ${staffRoles.join(', ')}`);
  if (role === 'trust' && options.school) throw new CliError('a trust user belongs to no one school: leave out --school');
  if (role !== 'trust' && !options.school) throw new CliError(`--school ID is required for role ${role}`);
  if (options.school && !(await where.schools.get(options.school))) throw new CliError(`no school with id ${options.school}`);
  if (options.password !== undefined) {
    const problems = passwordProblems(options.password);
    if (problems.length) throw new CliError(`--password needs ${problems.join(', ')}`);
  }
  const pool = where.staffPool();
  const admin = adminClient(pool);
  const invitation = options.password === undefined && pool.outboxDir ? temporaryPassword() : undefined;
  try {
    const created = await admin
      .send(
        new AdminCreateUserCommand({
          UserPoolId: pool.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          // With --password nothing is sent; without it Cognito emails a temporary password (the outbox locally).
          ...(options.password !== undefined || invitation ? { MessageAction: 'SUPPRESS' as const } : { DesiredDeliveryMediums: ['EMAIL' as const] }),
          ...(invitation ? { TemporaryPassword: invitation } : {}),
        }),
      )
      .catch((error: Error) => {
        if (error.name === 'UsernameExistsException') throw new CliError(`a user with email ${email} exists already`);
        throw error;
      });
    const userId = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? created.User?.Username ?? email;
    if (options.password !== undefined) {
      await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: email, Password: options.password, Permanent: true }));
    }
    const groups = [roleGroup(role), ...(options.school ? [schoolGroup(options.school)] : [])];
    for (const group of groups) {
      // Look first: cognito-local's CreateGroup replaces an existing group (and its members).
      const exists = await admin.send(new GetGroupCommand({ UserPoolId: pool.userPoolId, GroupName: group })).then(
        () => true,
        () => false,
      );
      if (!exists) await admin.send(new CreateGroupCommand({ UserPoolId: pool.userPoolId, GroupName: group })).catch(ignoreExisting('GroupExistsException'));
      await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: group }));
    }
    if (invitation) await sendLocalInvitation(pool.outboxDir!, email, invitation);
    return { userId, email, role, schoolId: options.school ?? null };
  } finally {
    admin.destroy();
  }
}

/** Locally Cognito cannot email: the invitation it would send goes to the outbox instead. */
async function sendLocalInvitation(outboxDir: string, email: string, password: string) {
  const text = `You have been added to the intervention tracker.\n\nSign in at http://127.0.0.1:${process.env.PORT ?? 3000}/app/ as ${email} with the temporary password ${password}\nYou will choose your own password when you first sign in.`;
  await new OutboxMailer(outboxDir).send({
    to: [email],
    subject: 'Your intervention tracker account',
    text,
    html: `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
    category: 'staff-invitation',
  });
}

export async function removeStaff(options: StaffOptions, where: CliTarget) {
  const email = needEmail(options);
  const pool = where.staffPool();
  const admin = adminClient(pool);
  try {
    await admin.send(new AdminDisableUserCommand({ UserPoolId: pool.userPoolId, Username: email })).catch((error: Error) => {
      if (error.name === 'UserNotFoundException') throw new CliError(`no user with email ${email}`);
      throw error;
    });
    if (pool.outboxDir) {
      // cognito-local still signs a disabled user in and has no global sign-out: an unknown
      // random password shuts the door there instead.
      await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: email, Password: temporaryPassword(), Permanent: true }));
    } else {
      // Refresh tokens stop now; access tokens already issued expire within 15 minutes.
      await admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.userPoolId, Username: email }));
    }
    return { email, disabled: true };
  } finally {
    admin.destroy();
  }
}

export async function staffToken(options: StaffOptions, where: CliTarget) {
  const email = needEmail(options);
  if (!options.password) throw new CliError('--password is required');
  const pool = where.staffPool();
  try {
    let step = await signIn(pool, email, options.password);
    if (step.step === 'mfa' && options['mfa-code']) step = await answerMfa(pool, email, step.session, options['mfa-code']);
    if (step.step === 'signed-in') return { accessToken: step.accessToken, expiresIn: step.expiresIn };
    const next = {
      'new-password': 'a new password (sign in once in the staff app)',
      mfa: 'an authenticator code (--mfa-code CODE)',
      'mfa-setup': 'an authenticator app (sign in once in the staff app)',
    };
    throw new CliError(`sign-in needs ${next[step.step]}`);
  } catch (error) {
    if (error instanceof CognitoError) throw new CliError(`sign-in refused: ${error.message}`);
    throw error;
  }
}
