import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { table as tableDefinition } from '../../shared/domain/table';
import { acknowledge, acknowledgementReasons } from '../nag';
import { nagArn } from '../nag';
import { Section } from './section';
import type { Storage } from './storage';

/**
 * What `tracker … --stage` needs (infra/cli/targets.ts), for trust IT to attach to the
 * role or group that runs it instead of using administrator credentials.
 */
export class OperatorAccess extends Section {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: { stage: string; storage: Storage; rollupFunction: lambda.IFunction; publisherFunction: lambda.IFunction }) {
    super(scope, id);
    const { stage, storage } = props;
    const stack = Stack.of(this);
    this.policy = new iam.ManagedPolicy(this, 'OperatorPolicy', {
      managedPolicyName: `tracker-${stage}-operator`,
      description: `Intervention tracker (${stage}): what the tracker CLI needs (--stage ${stage})`,
      statements: [
        new iam.PolicyStatement({ sid: 'ReadStackOutputs', actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }),
        new iam.PolicyStatement({
          sid: 'ManageWebhookSecrets',
          actions: ['secretsmanager:CreateSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
          resources: [storage.secretsArnPattern],
        }),
        new iam.PolicyStatement({
          sid: 'WebhookSecretsKeyViaSecretsManager',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [storage.secretsKey.keyArn],
          conditions: storage.secretsKeyStatementConditions(),
        }),
        // school add/rotate (GetItem, conditional PutItem), pupil export (Query, BatchGetItem).
        new iam.PolicyStatement({
          sid: 'TableItems',
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
          resources: [storage.table.tableArn],
        }),
        // pupil export (pupil index), republish (a week's journal on the week index).
        new iam.PolicyStatement({
          sid: 'TableIndexQueries',
          actions: ['dynamodb:Query'],
          resources: [storage.tableArnFor(tableDefinition.indexes.byPupil.name), storage.tableArnFor(tableDefinition.indexes.byWeek.name)],
        }),
        new iam.PolicyStatement({
          sid: 'TableKeyViaDynamoDB',
          actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [storage.tableKey.keyArn],
          conditions: storage.tableKeyStatementConditions(),
        }),
        new iam.PolicyStatement({
          sid: 'RunRollupsAndRepublish',
          actions: ['lambda:InvokeFunction'],
          resources: [props.rollupFunction.functionArn, props.publisherFunction.functionArn],
        }),
      ],
    });
    acknowledge(this.policy, `AwsSolutions-IAM5[Resource::${nagArn(stack, storage.secretsArnPattern)}]`, acknowledgementReasons.webhookSecretsPrefix);
  }
}
