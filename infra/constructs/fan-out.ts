import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { rules } from '../../events/rules';
import { delivery } from '../delivery';
import type { Functions } from './functions';
import type { Notifications } from './notifications';
import { pascal } from './names';
import { Section } from './section';
import type { Storage } from './storage';

/**
 * Stream → bus → rules: the table's stream feeds publish-stored-events, which puts thin
 * events on the tracker bus, and one rule per entry of events/rules.ts routes them. The bus
 * exists before the functions (they are told its name); `route` wires them once they exist:
 * a rule targets its function, or the function's pacing queue (Notifications).
 */
export class FanOut extends Section {
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: `tracker-${props.stage}`,
      description: `Intervention tracker (${props.stage}): stored events and rollups`,
    });
  }

  /** The account's default bus, where AWS services (SES feedback) publish. */
  defaultBus(): events.IEventBus {
    return (this.node.tryFindChild('DefaultBus') as events.IEventBus | undefined) ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
  }

  route(storage: Storage, functions: Functions, notifications: Notifications): void {
    functions.byName['publish-stored-events'].function.addEventSource(
      new DynamoEventSource(storage.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: delivery.streamBatchSize,
        bisectBatchOnError: false,
        reportBatchItemFailures: true,
        retryAttempts: delivery.streamRetryAttempts,
        maxRecordAge: delivery.streamMaxRecordAge,
        // One batch per shard at a time keeps each item's changes in order on the bus.
        parallelizationFactor: 1,
        onFailure: functions.deadLetterQueueOf('publish-stored-events').streamFailureDestination(),
      }),
    );

    for (const [ruleName, rule] of Object.entries(rules)) {
      const eventRule = new events.Rule(this, `${pascal(ruleName)}Rule`, {
        eventBus: 'bus' in rule && rule.bus === 'default' ? this.defaultBus() : this.bus,
        description: rule.description,
        // Replaced below by the exact pattern; the L2 needs one to validate.
        eventPattern: { source: [...rule.pattern.source] },
      });
      // Byte-identical to events/rules.ts (`detail-type`, `$or`), which the local bus also runs.
      (eventRule.node.defaultChild as events.CfnRule).eventPattern = structuredClone(rule.pattern);
      const targetProps = {
        retryAttempts: delivery.ruleRetryAttempts,
        maxEventAge: delivery.ruleMaxEventAge,
        deadLetterQueue: functions.deadLettersOf(rule.target),
      };
      const queue = notifications.queueOf(rule.target);
      eventRule.addTarget(
        queue ? new eventTargets.SqsQueue(queue, targetProps) : new eventTargets.LambdaFunction(functions.byName[rule.target].function, targetProps),
      );
    }
  }
}
