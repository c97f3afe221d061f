import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { functionNames, type FunctionName } from '../../functions/registry';
import { ensureTable } from '../../infra/local/create-table';
import { randomLocalCredentials } from '../../infra/local/credentials';
import { startDynamoDBLocal, type DynamoDBLocal } from '../../infra/local/dynamodb-local';
import type { TableRef } from '../../shared/adapters/aws/dynamodb';
import { matchesEventPattern } from '../../shared/adapters/local/event-pattern';
import { AwsStandIn } from './aws-stand-in';
import { DeployedLambda } from './lambda-process';
import { region, synthDeployedTemplate, type DeployedTemplate } from './template';

/**
 * The deployed stack in one process tree: the synthesised template's functions, each a
 * bundled handler in its own process, a DynamoDB Local table made from the same
 * definition, and the recording stand-in for the rest of AWS. The stream and the bus are
 * played from the template's own rules, so each function gets what AWS would hand it.
 */
export class DeployedStack {
  readonly lambdas = {} as Record<FunctionName, DeployedLambda>;
  table!: TableRef;
  private dynamodb!: DynamoDBLocal;
  private streams!: DynamoDBStreamsClient;
  private streamArn!: string;
  private readonly delivered = new Set<string>();
  /** Bus entries already routed to their rules' targets. */
  private routedEntries = 0;

  constructor(
    readonly template: DeployedTemplate,
    readonly aws: AwsStandIn,
  ) {}

  static async start(context: Record<string, unknown> = {}): Promise<DeployedStack> {
    const template = synthDeployedTemplate(context);
    // Every forwarded call is re-keyed to this one access key, whose database the table is in.
    const credentials = randomLocalCredentials();
    const dynamodb = await startDynamoDBLocal({ credentials });
    const stack = new DeployedStack(template, new AwsStandIn(dynamodb.endpoint, credentials.accessKeyId));
    stack.dynamodb = dynamodb;
    const config = { endpoint: dynamodb.endpoint, region, credentials };
    const client = new DynamoDBClient(config);
    stack.streamArn = await ensureTable(client, template.tableName);
    stack.streams = new DynamoDBStreamsClient(config);
    stack.table = { client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), tableName: template.tableName };
    const endpoint = await stack.aws.start();
    await Promise.all(
      functionNames.map(async (name) => {
        const lambda = new DeployedLambda(template.functions[name], { endpoint, region, credentials: stack.aws.credentialsFor(name) });
        stack.lambdas[name] = lambda;
        await lambda.start();
      }),
    );
    return stack;
  }

  async stop() {
    for (const lambda of Object.values(this.lambdas)) lambda.stop();
    await this.aws.stop();
    await this.dynamodb?.stop();
  }

  /** New stream records, shaped as the Lambda event source mapping delivers them. */
  async streamEvent() {
    const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    const records: unknown[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator } = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      while (ShardIterator) {
        const page = await this.streams.send(new GetRecordsCommand({ ShardIterator }));
        for (const record of page.Records ?? []) {
          const sequence = record.dynamodb!.SequenceNumber!;
          if (this.delivered.has(sequence)) continue;
          this.delivered.add(sequence);
          records.push({
            eventID: record.eventID,
            eventName: record.eventName,
            eventVersion: '1.1',
            eventSource: 'aws:dynamodb',
            awsRegion: region,
            eventSourceARN: this.streamArn,
            dynamodb: {
              ...record.dynamodb,
              ApproximateCreationDateTime: Math.floor(Number(record.dynamodb!.ApproximateCreationDateTime ?? new Date()) / 1000),
            },
          });
        }
        if (!page.Records?.length) break;
        ShardIterator = page.NextShardIterator;
      }
    }
    return { Records: records };
  }

  /** Bus entries put since the last `routeBus`, as EventBridge envelopes. */
  pendingBusEvents() {
    const entries = this.aws.calls
      .filter((call) => call.service === 'events' && call.operation === 'PutEvents' && call.status === 200)
      .flatMap((call) => call.body.Entries as { Source: string; DetailType: string; Detail: string; EventBusName: string }[]);
    return entries.slice(this.routedEntries).map((entry, index) => ({
      version: '0',
      id: `wiring-bus-${this.routedEntries + index}`,
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: '111122223333',
      time: new Date().toISOString(),
      region,
      resources: [],
      detail: JSON.parse(entry.Detail),
      eventBusName: entry.EventBusName,
    }));
  }

  /**
   * The template's EventBridge rules and the function each one targets: directly, or
   * through a pacing queue (an SQS target drained by the function's event source mapping).
   */
  rules(): { busName: string; pattern: Record<string, unknown>; target: FunctionName; viaQueue: boolean }[] {
    const byLogicalId = new Map(Object.values(this.template.functions).map((fn) => [fn.logicalId, fn.name]));
    const drainedBy = new Map(
      Object.values(this.template.resources)
        .filter((resource: any) => resource.Type === 'AWS::Lambda::EventSourceMapping' && resource.Properties.EventSourceArn?.['Fn::GetAtt']?.[1] === 'Arn')
        .map((resource: any) => [resource.Properties.EventSourceArn['Fn::GetAtt'][0], byLogicalId.get(resource.Properties.FunctionName.Ref)]),
    );
    return Object.values(this.template.resources)
      .filter((resource: any) => resource.Type === 'AWS::Events::Rule' && resource.Properties.EventPattern)
      .flatMap((resource: any) =>
        resource.Properties.Targets.map((target: any) => {
          const targetId = target.Arn['Fn::GetAtt']?.[0];
          const name = byLogicalId.get(targetId) ?? drainedBy.get(targetId);
          if (!name) throw new Error(`rule target ${JSON.stringify(target.Arn)} is not a tracker function or a queue one drains`);
          return {
            busName: this.template.resolve(resource.Properties.EventBusName) as string,
            pattern: resource.Properties.EventPattern,
            target: name,
            viaQueue: !byLogicalId.has(targetId),
          };
        }),
      );
  }

  /**
   * Delivers the new bus entries to every rule target whose pattern matches (the rules the
   * template was made from), one invocation per event as EventBridge does; through a pacing
   * queue, as the SQS event source hands it over (a batch of one record, partial batch
   * failures reported). Returns each invocation with its outcome.
   */
  async routeBus() {
    const outcomes: { target: FunctionName; event: unknown; result?: any; error?: { name: string; message: string } }[] = [];
    const pending = this.pendingBusEvents();
    this.routedEntries += pending.length;
    for (const { eventBusName, ...envelope } of pending) {
      for (const rule of this.rules()) {
        if (rule.busName !== eventBusName || !matchesEventPattern(rule.pattern, envelope)) continue;
        const outcome = rule.viaQueue ? await this.deliverThroughQueue(rule.target, envelope) : await this.lambdas[rule.target].invoke(envelope);
        outcomes.push({ target: rule.target, event: envelope, ...outcome });
      }
    }
    return outcomes;
  }

  private async deliverThroughQueue(target: FunctionName, envelope: { id: string }) {
    const messageId = `wiring-sqs-${envelope.id}`;
    const batch = {
      Records: [
        {
          messageId,
          receiptHandle: `${messageId}-receipt`,
          body: JSON.stringify(envelope),
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(Date.now()),
            SenderId: 'events.amazonaws.com',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${region}:111122223333:tracker-${target}`,
          awsRegion: region,
        },
      ],
    };
    const outcome = await this.lambdas[target].invoke(batch);
    const failures = (outcome.result?.batchItemFailures ?? []) as unknown[];
    return failures.length ? { ...outcome, error: { name: 'BatchItemFailure', message: `${target} reported ${failures.length} failed record(s)` } } : outcome;
  }
}
