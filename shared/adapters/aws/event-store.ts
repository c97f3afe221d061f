import { randomBytes } from 'node:crypto';
import { type AttributeValue, ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchExecuteStatementCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Item, LatestWins, WritePlan } from '../../domain/records';
import { logger } from '../../logger';
import type { EventStore, StoreOutcome } from '../../ports';
import { weekEnd } from '../../domain/calendar';
import { weeksOfVersions } from '../../domain/incident-versions';
import { changedWeekKey } from '../../domain/keys';
import { expiresAt } from '../../domain/retention';
import { attributeUpdates, type TableRef } from './dynamodb';
import { readIncidentVersions } from './incident-versions';

const newerThanStored = '(attribute_not_exists(pk) OR occurredAtUtc < :occurredAtUtc)';

/**
 * Each store call writes its own random token with the item (`writtenBy`). A write the SDK
 * retried after a timeout whose first attempt had landed then meets its own token and
 * answers `accepted`; an item another request stored holds that request's token.
 */
const newWriteToken = () => randomBytes(12).toString('base64url');

/** What a refused conditional write found: stored by another request, or by this one's earlier attempt. */
function outcomeOverStored(stored: Record<string, unknown> | undefined, token: string): StoreOutcome {
  return stored?.writtenBy === token ? 'accepted' : 'duplicate';
}

const storedItem = (error: { Item?: Record<string, AttributeValue> }) => (error.Item ? unmarshall(error.Item) : undefined);

/** `accepted` when the conditional write (asking for ALL_OLD) happened; when refused, whose the stored item is. */
async function writeOrCompare(write: Promise<unknown>, token: string): Promise<StoreOutcome> {
  try {
    await write;
    return 'accepted';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return outcomeOverStored(storedItem(error), token);
  }
}

const maxConflictRetries = 5;

/** DynamoDB's limit of statements in one BatchExecuteStatement. */
const maxStatementsPerBatch = 25;

/** A PartiQL INSERT of one whole item: it fails with `DuplicateItem` when the key exists. */
function insertStatement(tableName: string, item: Item) {
  const names = Object.keys(item).filter((name) => item[name] !== undefined);
  const quote = (text: string) => text.replace(/'/g, "''");
  return {
    Statement: `INSERT INTO "${tableName.replace(/"/g, '""')}" VALUE {${names.map((name) => `'${quote(name)}': ?`).join(', ')}}`,
    Parameters: names.map((name) => item[name]),
  };
}

/** What a mark is when nothing was stored under its key: exactly what storeMark's update leaves. */
function newMarkItem(eventId: string, mark: LatestWins, writtenBy: string): Item {
  return { ...mark.key, ...mark.attributes, writtenBy, eventIds: new Set([eventId]) };
}

interface QueuedInsert {
  item: Item;
  key: string;
  /** The key exists: work out what that means with the one-at-a-time conditional write. */
  onDuplicate: () => Promise<StoreOutcome>;
  /** Any other per-statement failure: the one-at-a-time write, which decides (or throws) as always. */
  fallback: () => Promise<StoreOutcome>;
  resolve: (outcome: StoreOutcome) => void;
  reject: (error: unknown) => void;
}

/** A journal event stored as one item (no roster profile, participant links or incident version). */
const isSingleItem = (plan: Extract<WritePlan, { kind: 'journal' }>) => !plan.profile && !plan.incidentVersion && plan.participants.length === 0;

const isAccessDenied = (name: string | undefined) => name === 'AccessDeniedException' || name === 'AccessDenied';

/**
 * Executes a WritePlan with conditional writes so that concurrent duplicates store once:
 * DynamoDB evaluates each condition atomically, so exactly one writer sees it pass.
 *
 * The common case, a mark or a plain journal event whose key is new, goes first as a PartiQL
 * INSERT (put-if-absent) batched with the other stores in flight, up to 25 to one
 * BatchExecuteStatement: the same item, the same 1 WCU (+ its index entries), a 25th of the
 * requests. A statement that finds its key taken (a correction, a late or repeated mark, a
 * re-sent event) or fails for any other reason takes the one-at-a-time conditional path
 * below, which decides exactly as before. docs/performance.md has the measurements.
 */
export class DynamoEventStore implements EventStore {
  private queue: QueuedInsert[] = [];
  private flushScheduled = false;
  /** Set when IAM refuses PartiQL INSERT: from then on every store goes one at a time. */
  private insertsRefused = false;

  constructor(private readonly table: TableRef) {}

  async incidentWeeks(schoolId: string, incidentId: string): Promise<string[]> {
    return weeksOfVersions(await readIncidentVersions(this.table, schoolId, incidentId));
  }

  /** One UpdateItem per week; `changes` is a counter, so a rollup clears only what it folded. */
  async markWeeksChanged(schoolId: string, weeks: string[], at: Date): Promise<void> {
    await Promise.all(
      weeks.map((week) =>
        this.table.client.send(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key: changedWeekKey(schoolId, week),
            UpdateExpression: 'SET recordKind = :kind, schoolId = :school, #week = :week, changedAt = :at, expiresAt = :expires ADD changes :one',
            ExpressionAttributeNames: { '#week': 'week' },
            ExpressionAttributeValues: {
              ':kind': 'week-changed',
              ':school': schoolId,
              ':week': week,
              ':at': at.toISOString(),
              ':expires': expiresAt('rollup', weekEnd(week)),
              ':one': 1,
            },
          }),
        ),
      ),
    );
  }

  async store(plan: WritePlan): Promise<StoreOutcome> {
    const token = newWriteToken();
    if (plan.kind === 'mark') {
      const storeOne = () => this.storeMark(plan.eventId, plan.mark, token);
      return this.insertFirst(newMarkItem(plan.eventId, plan.mark, token), storeOne, storeOne);
    }
    const journal = { ...plan, journal: { ...plan.journal, writtenBy: token } };
    const storeOne = () => this.storeJournal(journal, token);
    // INSERT's DuplicateItem: the conditional Put tells whose the stored item is.
    return isSingleItem(plan) ? this.insertFirst(journal.journal, storeOne, storeOne) : storeOne();
  }

  private insertFirst(item: Item, onDuplicate: () => Promise<StoreOutcome>, fallback: () => Promise<StoreOutcome>): Promise<StoreOutcome> {
    if (this.insertsRefused) return fallback();
    return new Promise((resolve, reject) => {
      this.queue.push({ item, key: `${item.pk}\u0000${item.sk}`, onDuplicate, fallback, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // After the current I/O callback and its promise jobs: every store started meanwhile joins.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const queued = this.queue;
    this.queue = [];
    // One statement per key in a batch (DynamoDB refuses the whole batch otherwise); a second
    // write of the same key goes in a later batch and meets the first as an existing item.
    const batches: { entries: QueuedInsert[]; keys: Set<string> }[] = [];
    let open = 0;
    for (const entry of queued) {
      while (batches[open] && batches[open]!.entries.length === maxStatementsPerBatch) open++;
      let batch = batches.slice(open).find((candidate) => candidate.entries.length < maxStatementsPerBatch && !candidate.keys.has(entry.key));
      if (!batch) batches.push((batch = { entries: [], keys: new Set() }));
      batch.entries.push(entry);
      batch.keys.add(entry.key);
    }
    for (const { entries } of batches) void this.insertBatch(entries);
  }

  private async insertBatch(batch: QueuedInsert[]): Promise<void> {
    const settle = (entry: QueuedInsert, outcome: Promise<StoreOutcome>) => outcome.then(entry.resolve, entry.reject);
    let responses: { Error?: { Code?: string } }[];
    try {
      const { tableName } = this.table;
      ({ Responses: responses = [] } = await this.table.client.send(
        new BatchExecuteStatementCommand({ Statements: batch.map((entry) => insertStatement(tableName, entry.item)) }),
      ));
    } catch (error) {
      const name = (error as Error).name;
      if (isAccessDenied(name)) this.refuseInserts();
      // A refused or malformed batch: each store on its own path decides (or fails) as it always has.
      if (isAccessDenied(name) || name === 'ValidationException') batch.forEach((entry) => settle(entry, entry.fallback()));
      // Storage unavailable after the SDK's retries: nothing is acknowledged (the webhook answers 5xx).
      else batch.forEach((entry) => entry.reject(error));
      return;
    }
    batch.forEach((entry, index) => {
      const response = responses[index];
      if (response && !response.Error) return entry.resolve('accepted');
      if (isAccessDenied(response?.Error?.Code)) this.refuseInserts();
      settle(entry, response?.Error?.Code === 'DuplicateItem' ? entry.onDuplicate() : entry.fallback());
    });
  }

  private refuseInserts(): void {
    if (this.insertsRefused) return;
    this.insertsRefused = true;
    logger.warn('PartiQL INSERT refused (grant dynamodb:PartiQLInsert); storing events one at a time');
  }

  /** One UpdateItem per mark: applies it if newer, and remembers its eventId either way. */
  private async storeMark(eventId: string, mark: LatestWins, token: string): Promise<StoreOutcome> {
    const { names, values, sets, removes } = attributeUpdates({ ...mark.attributes, writtenBy: token });
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: mark.key,
          // previousCode: the code this mark replaces (operands read the item before the update),
          // so a first-day absence corrected later can be told apart from a plain mark.
          UpdateExpression: `SET ${sets.join(', ')}, previousCode = if_not_exists(#storedCode, :noCode) ADD eventIds :eventIds${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: `${newerThanStored} AND NOT contains(eventIds, :eventId)`,
          ExpressionAttributeNames: { ...names, '#storedCode': 'code' },
          ExpressionAttributeValues: {
            ...values,
            ':noCode': '-',
            ':eventIds': new Set([eventId]),
            ':eventId': eventId,
            ':occurredAtUtc': mark.occurredAtUtc,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'accepted';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = storedItem(error);
      if ((stored?.eventIds as Set<string> | undefined)?.has(eventId)) return outcomeOverStored(stored, token);
    }
    // An older mark arriving late changes nothing but is remembered, so a re-send is a duplicate.
    return writeOrCompare(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: mark.key,
          UpdateExpression: 'SET writtenBy = :token ADD eventIds :eventIds',
          ConditionExpression: 'NOT contains(eventIds, :eventId)',
          ExpressionAttributeValues: { ':eventIds': new Set([eventId]), ':eventId': eventId, ':token': token },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
      token,
    );
  }

  private async storeJournal(plan: Extract<WritePlan, { kind: 'journal' }>, token: string, attempt = 0): Promise<StoreOutcome> {
    const { tableName, client } = this.table;
    const journalPut = {
      TableName: tableName,
      Item: plan.journal,
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    if (isSingleItem(plan)) return writeOrCompare(client.send(new PutCommand(journalPut)), token);
    const profile = plan.profile;
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: journalPut },
            // Participant links and an incident's version entry: written with the journal item or not at all.
            ...[...plan.participants, ...(plan.incidentVersion ? [plan.incidentVersion] : [])].map((item) => ({ Put: { TableName: tableName, Item: item } })),
            ...(profile
              ? [
                  {
                    Put: {
                      TableName: tableName,
                      Item: { ...profile.key, ...profile.attributes },
                      ConditionExpression: newerThanStored,
                      ExpressionAttributeValues: { ':occurredAtUtc': profile.occurredAtUtc },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
      return 'accepted';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return outcomeOverStored(storedItem(reasons[0]), token);
      if (profile && reasons.at(-1)?.Code === 'ConditionalCheckFailed') {
        // A newer roster is already stored: keep the receipt only.
        return this.storeJournal({ ...plan, profile: undefined }, token, attempt);
      }
      if (reasons.some((reason) => reason.Code === 'TransactionConflict') && attempt < maxConflictRetries) {
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
        return this.storeJournal(plan, token, attempt + 1);
      }
      throw error;
    }
  }
}
