import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { outputNames } from '../outputs';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { staffRoutes } from '../../functions/staff-api/routes';
import { accessTokenMinutes, roleGroup, staffPasswordPolicy, staffRoles } from '../../shared/domain/staff-access';

/** Token lifetimes: a removed user's access token stops working within 15 minutes (contract 6). */
export const staffTokenValidity = { access: Duration.minutes(accessTokenMinutes), id: Duration.minutes(accessTokenMinutes), refresh: Duration.hours(10) };

/** Stack outputs the CLI reads for `tracker staff … --stage` (infra/cli/targets.ts). */
export const staffOutputNames = { userPoolId: outputNames.staffUserPoolId, userPoolClientId: outputNames.staffUserPoolClientId } as const;

export interface StaffAccessProps {
  stage: string;
  httpApi: apigw.HttpApi;
  /** The staff-api function (functions/staff-api). */
  handler: lambda.IFunction;
}

/**
 * Staff identity and the staff API routes (contract section 6): a Cognito user pool
 * (sign-in by email, TOTP MFA required, Plus feature plan with full threat protection),
 * one group per role (school groups are added by `tracker staff add`), an app client for the
 * staff app and the CLI, and an HTTP API JWT authorizer in front of every staff route.
 */
export class StaffAccess extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly routes: apigw.HttpRoute[];

  constructor(scope: Construct, id: string, props: StaffAccessProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `tracker-${props.stage}-staff`,
      // Only trust IT adds people (`tracker staff add`).
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: { ...staffPasswordPolicy, tempPasswordValidity: Duration.days(3) },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus: compromised-credential checks and adaptive authentication, enforced (AwsSolutions-COG3).
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      userInvitation: {
        emailSubject: 'Your intervention tracker account',
        emailBody:
          'You have been added to the intervention tracker. Sign in as {username} with the temporary password {####}; you will choose your own password and set up an authenticator app.',
      },
    });
    // Role groups; a user's school is a `school:<id>` group. Only administrators change groups.
    staffRoles.forEach((role, index) => {
      new cognito.CfnUserPoolGroup(this, `Role${role[0]!.toUpperCase()}${role.slice(1)}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: roleGroup(role),
        description: `Staff API role ${role}`,
        precedence: index,
      });
    });
    this.client = this.userPool.addClient('AppClient', {
      userPoolClientName: `tracker-${props.stage}-staff-app`,
      generateSecret: false,
      // SRP for the app, password for `tracker staff token` (a script); always over TLS.
      authFlows: { userSrp: true, userPassword: true },
      accessTokenValidity: staffTokenValidity.access,
      idTokenValidity: staffTokenValidity.id,
      refreshTokenValidity: staffTokenValidity.refresh,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });

    const authorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', this.userPool, { userPoolClients: [this.client] });
    const integration = new HttpLambdaIntegration('StaffApi', props.handler, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
    this.routes = staffRoutes.flatMap((routeKey) => {
      const [method, path] = routeKey.split(' ') as [keyof typeof apigw.HttpMethod, string];
      return props.httpApi.addRoutes({ path, methods: [apigw.HttpMethod[method]], integration, authorizer });
    });

    const stack = Stack.of(this);
    new CfnOutput(stack, staffOutputNames.userPoolId, { value: this.userPool.userPoolId, description: 'Staff user pool (CLI: tracker staff --stage)' });
    new CfnOutput(stack, staffOutputNames.userPoolClientId, { value: this.client.userPoolClientId, description: 'Staff app client' });
  }
}
