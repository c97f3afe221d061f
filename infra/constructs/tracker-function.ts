import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../../functions/registry';
import type { FunctionSpec } from '../functions';
import { acknowledge, acknowledgementReasons } from '../nag';

/**
 * ESM bundles run CommonJS dependencies that call `require` (e.g. the AWS SDK's internals)
 * through this shim. The import is aliased so it cannot clash with a bundled name.
 */
export const esmRequireBanner =
  "import { createRequire as __trackerCreateRequire } from 'node:module'; const require = __trackerCreateRequire(import.meta.url);";

export interface TrackerFunctionProps {
  name: FunctionName;
  spec: FunctionSpec;
  stage: string;
  /** The project root: `functions/<name>/index.ts` and package-lock.json live there. */
  projectRoot: string;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  logLevel: string;
  metricsNamespace: string;
}

/**
 * The one place function defaults live: Node.js 24 on arm64, an ESM bundle built locally
 * by esbuild (no Docker), its own role (no AWS managed policies), its own log group with a
 * retention period, X-Ray tracing and the Powertools settings. Permissions are added by the
 * stack from infra/functions.ts, so each function holds only its own.
 */
export class TrackerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly functionName: string;

  constructor(scope: Construct, id: string, props: TrackerFunctionProps) {
    super(scope, id);
    const { name, spec, stage } = props;
    this.functionName = `tracker-${stage}-${name}`;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // Operational logs only (ids and counts, never personal data: shared/logger.ts).
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${this.functionName}: ${spec.description}`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): this group only.
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName: this.functionName,
      description: spec.description,
      entry: join(props.projectRoot, 'functions', name, 'index.ts'),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: name,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too: the exact versions in package-lock.json, not the runtime's.
        externalModules: [],
      },
    });

    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]', acknowledgementReasons.xrayResourceWildcard);
    acknowledge(this.function, 'Serverless-LambdaDLQ', acknowledgementReasons.lambdaDlq[spec.trigger]);
  }
}
