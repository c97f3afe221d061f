import { retentionYears } from '../shared/domain/retention';
import type { WriteCost } from './ingest';
import type { RollupFigure } from './rollup';

/**
 * A monthly AWS bill for one 1,000-pupil school, from the units this run measured: 2 marks
 * per pupil per school day, ~200 other events and ~50 parent emails a week, one rollup a
 * week. A term-time month is 4.33 weeks of 5 school days. Prices are eu-west-2 (London)
 * list prices as assumed here (on-demand DynamoDB after the November 2024 cut, Lambda on
 * arm64 as the stack deploys it); free tiers are left out. Lambda durations other than the
 * webhook's and the rollup's are not measured locally and are stated as assumptions.
 */

export const pricesEuWest2 = {
  asOf: 'assumed list prices, eu-west-2; check the AWS pricing pages before quoting',
  dynamodbWriteRequestUnitPerMillion: 0.7425,
  dynamodbReadRequestUnitPerMillion: 0.1485,
  dynamodbStoragePerGbMonth: 0.2975,
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequestsPerMillion: 0.2,
  httpApiRequestsPerMillion: 1.11,
  eventBridgeEventsPerMillion: 1.0,
  sesPerThousandEmails: 0.1,
  secretsManagerPerSecretMonth: 0.4,
};

export interface CostLine {
  item: string;
  units: string;
  usdPerMonth: number;
}

export function schoolMonthlyCost(input: { cost: WriteCost; rollup: RollupFigure }): { lines: CostLine[]; totalUsd: number; assumptions: string[] } {
  const p = pricesEuWest2;
  const weeks = 52 / 12;
  const marks = 1000 * 2 * 5 * weeks;
  const others = 200 * weeks;
  const parentEmails = 50 * weeks;
  const rollups = weeks;
  const { cost, rollup } = input;

  const writeUnits = marks * cost.wcuPerEvent + others * rollup.otherEventCost.wcuPerEvent + rollups * rollup.rollupCost.wcu;
  const readUnits = marks * cost.rcuPerEvent + others * rollup.otherEventCost.rcuPerEvent + rollups * rollup.rollupCost.rcu;
  // Steady state under retention (shared/domain/retention.ts), ~39 school weeks a year: marks
  // (no index entry), other events ~1.5 KB in the table and both indexes.
  const markYears = retentionYears.attendanceMark;
  const eventYears = retentionYears.incident;
  const storedGb = (1000 * 2 * 5 * 39 * markYears * (cost.markItemBytes + 100) + 200 * 39 * eventYears * 3 * (1500 + 100)) / 1e9;

  const ingestRequests = 2 * 2 * 5 * weeks + others; // two 500-mark requests per register, others one by one
  const ingestGbSeconds = (2 * 2 * 5 * weeks * cost.requestMs) / 1000 + (others * 30) / 1000;
  const notifyInvocations = (marks * (cost.requests.PutItem ?? 0)) / cost.marks + parentEmails;
  const publishInvocations = (marks + others) / 10;
  const lambdaGbSeconds = ingestGbSeconds * 1 + publishInvocations * 0.05 * 0.5 + notifyInvocations * 0.15 * 0.5 + rollups * rollup.secondsWith30PriorWeeks * 1;
  const lambdaInvocations = ingestRequests + publishInvocations + notifyInvocations + rollups * 2;

  const lines: CostLine[] = [
    {
      item: 'DynamoDB writes',
      units: `${Math.round(writeUnits).toLocaleString('en-GB')} WRU`,
      usdPerMonth: (writeUnits / 1e6) * p.dynamodbWriteRequestUnitPerMillion,
    },
    {
      item: 'DynamoDB reads',
      units: `${Math.round(readUnits).toLocaleString('en-GB')} RRU`,
      usdPerMonth: (readUnits / 1e6) * p.dynamodbReadRequestUnitPerMillion,
    },
    { item: 'DynamoDB storage (steady state under retention)', units: `${storedGb.toFixed(2)} GB`, usdPerMonth: storedGb * p.dynamodbStoragePerGbMonth },
    { item: 'Lambda compute (arm64)', units: `${lambdaGbSeconds.toFixed(0)} GB-s`, usdPerMonth: lambdaGbSeconds * p.lambdaArmGbSecond },
    {
      item: 'Lambda requests',
      units: `${Math.round(lambdaInvocations).toLocaleString('en-GB')}`,
      usdPerMonth: (lambdaInvocations / 1e6) * p.lambdaRequestsPerMillion,
    },
    { item: 'API Gateway HTTP API', units: `${Math.round(ingestRequests)} requests`, usdPerMonth: (ingestRequests / 1e6) * p.httpApiRequestsPerMillion },
    {
      item: 'EventBridge (one event per stored event)',
      units: `${Math.round(marks + others).toLocaleString('en-GB')} events`,
      usdPerMonth: ((marks + others) / 1e6) * p.eventBridgeEventsPerMillion,
    },
    {
      item: 'SES (parent emails + weekly summary)',
      units: `${Math.round(parentEmails + rollups)} emails`,
      usdPerMonth: ((parentEmails + rollups) / 1000) * p.sesPerThousandEmails,
    },
    { item: "Secrets Manager (the school's webhook secret)", units: '1 secret', usdPerMonth: p.secretsManagerPerSecretMonth },
  ];
  return {
    lines,
    totalUsd: lines.reduce((sum, line) => sum + line.usdPerMonth, 0),
    assumptions: [
      `term-time month of ${weeks.toFixed(2)} weeks: ${Math.round(marks).toLocaleString('en-GB')} marks, ${Math.round(others)} other events, ${Math.round(parentEmails)} parent emails, ${rollups.toFixed(2)} rollups`,
      `WCU/RCU per mark and per other event as measured (derived records included); rollup units as measured for the 30-week school`,
      `storage: 100 bytes of overhead per item; marks for ${retentionYears.attendanceMark} years, other events (~1.5 KB, three copies: table and two indexes) for ${retentionYears.incident} years`,
      `webhook Lambda: ${cost.requestMs.toFixed(0)} ms per 500-mark request (the local webhook's median, one in flight) at 1 GB; 30 ms per single-event request`,
      'not measured here, assumed: publish-stored-events 50 ms at 512 MB per 10 stream records; notify-parents 150 ms at 512 MB per invocation',
      'trust-wide fixed costs (KMS key, alarms, log storage) are per deployment, not per school, and left out',
    ],
  };
}
