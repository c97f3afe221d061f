import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { table as tableDefinition } from '../../shared/domain/table';
import { webhookSecretsPrefix } from '../outputs';
import { Section } from './section';

/**
 * Where the data lives: the one table (from shared/domain/table.ts), its customer key, and
 * the key and name prefix of the schools' webhook secrets (created by the CLI, not here).
 */
export class Storage extends Section {
  readonly table: dynamodb.TableV2;
  readonly tableKey: kms.Key;
  readonly secretsKey: kms.Key;
  readonly secretsPrefix: string;
  /** `arn:…:secret:<prefix>/*`: every school's webhook secret of this stage. */
  readonly secretsArnPattern: string;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    const { stage } = props;
    // Retained, stateful resources stay at stack scope, outside this section: their logical
    // ids, and ids derived from their paths (the stream mapping's), must never change.
    const stack = Stack.of(this);
    this.tableKey = new kms.Key(stack, 'TableKey', {
      description: `Intervention tracker (${stage}): the table, its stream and backups`,
      alias: `alias/intervention-tracker/${stage}/table`,
      enableKeyRotation: true,
      // The table is retained on stack deletion; its key must outlive it or the data is lost.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.secretsKey = new kms.Key(stack, 'WebhookSecretsKey', {
      description: `Intervention tracker (${stage}): schools' webhook secrets in Secrets Manager`,
      alias: `alias/intervention-tracker/${stage}/webhook-secrets`,
      enableKeyRotation: true,
      // Secrets are created by the CLI, outside this stack, and outlive it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const string = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.TableV2(stack, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: string },
      sortKey: { name: tableDefinition.sortKey, type: string },
      globalSecondaryIndexes: Object.values(tableDefinition.indexes).map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: string },
        sortKey: { name: index.sortKey, type: string },
      })),
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.tableKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
    });

    this.secretsPrefix = webhookSecretsPrefix(stage);
    this.secretsArnPattern = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${this.secretsPrefix}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** The table's ARN, or one index's (IAM names indexes separately). */
  tableArnFor(index?: string): string {
    return index ? `${this.table.tableArn}/index/${index}` : this.table.tableArn;
  }

  /** Only through DynamoDB: DynamoDB calls KMS as the caller to use the table key. */
  tableKeyStatementConditions() {
    return { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } };
  }

  /** Only through Secrets Manager, and only for this stage's webhook secrets. */
  secretsKeyStatementConditions() {
    return {
      StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
      StringLike: { 'kms:EncryptionContext:SecretARN': this.secretsArnPattern },
    };
  }
}
