import { CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { outputNames } from '../outputs';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { appContentSecurityPolicy } from '../local/staff-routes';
import { acknowledge } from '../nag';

/** Stack outputs `tracker app publish --stage` reads. */
export const staffAppOutputNames = { bucket: outputNames.staffAppBucket, url: outputNames.staffAppUrl } as const;

export const staffAppHostingReasons = {
  geo: 'Staff of UK schools sign in from wherever they work (home visits, trips, other sites): a country allow-list would lock them out; sign-in itself is protected by Cognito threat protection and MFA.',
  waf: 'The distribution serves public static files and passes /v1/* to the HTTP API, which is throttled and authenticated (JWT or HMAC); a WAF web ACL is an optional extra cost left to the trust (docs/decisions/0010-staff-app-hosting.md).',
  tls: 'The default *.cloudfront.net certificate: CloudFront then negotiates TLSv1 at minimum for old clients; a trust that wants TLS 1.2 minimum adds its own domain and certificate.',
  logBucket: "This bucket receives the distribution's and the app bucket's access logs; logging it into itself would loop.",
} as const;

export interface StaffAppHostingProps {
  stage: string;
  httpApi: apigw.HttpApi;
}

/**
 * The staff app in the deployed stack (docs/decisions/0010-staff-app-hosting.md): a private S3
 * bucket behind CloudFront with origin access control, and the HTTP API as a second origin
 * under /v1/*, so the app and the API share one origin. `tracker app publish` uploads app/dist.
 */
export class StaffAppHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: StaffAppHostingProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(logs, 'AwsSolutions-S1', staffAppHostingReasons.logBucket);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      responseHeadersPolicyName: `tracker-${props.stage}-staff-app`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: appContentSecurityPolicy(`https://cognito-idp.${region}.amazonaws.com`), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
    // The API's host name, from its endpoint URL (https://<id>.execute-api.<region>.amazonaws.com).
    const apiHost = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Intervention tracker (${props.stage}): staff app and API`,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: new HttpOrigin(apiHost, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
      defaultRootObject: 'app/index.html',
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    acknowledge(this.distribution, 'AwsSolutions-CFR1', staffAppHostingReasons.geo);
    acknowledge(this.distribution, 'AwsSolutions-CFR2', staffAppHostingReasons.waf);
    acknowledge(this.distribution, 'AwsSolutions-CFR4', staffAppHostingReasons.tls);

    const stack = Stack.of(this);
    new CfnOutput(stack, staffAppOutputNames.bucket, { value: this.bucket.bucketName, description: 'Staff app files (tracker app publish --stage)' });
    new CfnOutput(stack, staffAppOutputNames.url, { value: `https://${this.distribution.distributionDomainName}/app/`, description: 'The staff app' });
  }
}
