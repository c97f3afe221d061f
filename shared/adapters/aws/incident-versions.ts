import type { IncidentVersion } from '../../domain/incident-versions';
import { incidentPartition } from '../../domain/keys';
import { queryAll, type TableRef } from './dynamodb';

/** Every stored version of one incident: one consistent Query of its partition (data-model pattern 19). */
export function readIncidentVersions(ref: TableRef, schoolId: string, incidentId: string): Promise<IncidentVersion[]> {
  return queryAll<IncidentVersion>(ref, {
    KeyConditionExpression: 'pk = :pk',
    ProjectionExpression: 'incidentId, eventId, occurredAtUtc, #week, safeguardingConcern',
    ExpressionAttributeNames: { '#week': 'week' },
    ExpressionAttributeValues: { ':pk': incidentPartition(schoolId, incidentId) },
    ConsistentRead: true,
  });
}
