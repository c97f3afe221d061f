import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { staffRoutes } from '../../functions/staff-api/routes';
import { staffOutputNames } from '../../infra/constructs/staff-access';
import { roleGroup, staffRoles } from '../../shared/domain/staff-access';
import { refOf, resource, resourcesOf, synth } from './support';

/** Staff identity (contract section 6) in the template: user pool, client, authorizer, routes. */
let template: Template;
beforeAll(() => {
  template = synth().template();
});

describe('staff user pool', () => {
  it('signs in by email, admin-created users only, TOTP MFA required, Plus plan with full threat protection', () => {
    const pools = resourcesOf(template, 'AWS::Cognito::UserPool');
    expect(pools).toHaveLength(1);
    const [, pool] = pools[0]!;
    expect(pool.Properties).toMatchObject({
      UsernameAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('has one group per role (school groups are added by the CLI)', () => {
    const groups = resourcesOf(template, 'AWS::Cognito::UserPoolGroup').map(([, group]) => group.Properties.GroupName);
    expect(groups.sort()).toEqual(staffRoles.map(roleGroup).sort());
  });

  it('has one public client: 15-minute access tokens, revocation on, no user-existence errors', () => {
    const clients = resourcesOf(template, 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const props = clients[0]![1].Properties;
    expect(props).toMatchObject({
      GenerateSecret: false,
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(props.ExplicitAuthFlows.sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']);
  });

  it('outputs the pool and client ids for `tracker staff --stage`', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(refOf(outputs[staffOutputNames.userPoolId]!.Value)).toBe(resourcesOf(template, 'AWS::Cognito::UserPool')[0]![0]);
    expect(refOf(outputs[staffOutputNames.userPoolClientId]!.Value)).toBe(resourcesOf(template, 'AWS::Cognito::UserPoolClient')[0]![0]);
  });
});

describe('staff API routes', () => {
  it('every staff route has the JWT authorizer of the pool and client, and goes to staff-api', () => {
    const authorizers = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(refOf(authorizer.Properties.JwtConfiguration.Audience[0])).toBe(resourcesOf(template, 'AWS::Cognito::UserPoolClient')[0]![0]);
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain(resourcesOf(template, 'AWS::Cognito::UserPool')[0]![0]);

    const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route').filter(([, route]) => route.Properties.AuthorizationType === 'JWT');
    expect(routes.map(([, route]) => route.Properties.RouteKey).sort()).toEqual([...staffRoutes].sort());
    const staffFunction = resourcesOf(template, 'AWS::Lambda::Function').find(([, fn]) => String(fn.Properties.Description).startsWith('Staff API'))![0];
    for (const [, route] of routes) {
      expect(route.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
      const integration = resource(template, String(route.Properties.Target['Fn::Join'][1][1].Ref));
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      expect(refOf(integration.Properties.IntegrationUri)).toBe(staffFunction);
    }
  });
});

describe('staff app hosting (CloudFront + S3 with origin access control)', () => {
  it('a private bucket read only by the distribution, the API under /v1/*, security headers with the CSP', () => {
    const distributions = resourcesOf(template, 'AWS::CloudFront::Distribution');
    expect(distributions).toHaveLength(1);
    const config = distributions[0]![1].Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('app/index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.CacheBehaviors.map((behavior: { PathPattern: string }) => behavior.PathPattern)).toEqual(['/v1/*']);
    expect(config.Logging).toBeDefined();
    expect(config.Origins.filter((origin: { OriginAccessControlId?: unknown }) => origin.OriginAccessControlId)).toHaveLength(1);
    expect(resourcesOf(template, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    const headers = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy')[0]![1].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(JSON.stringify(headers.ContentSecurityPolicy)).toContain("frame-ancestors 'none'");
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    for (const [, bucket] of resourcesOf(template, 'AWS::S3::Bucket')) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(outputs).toHaveProperty('StaffAppBucket');
    expect(outputs).toHaveProperty('StaffAppUrl');
  });
});
