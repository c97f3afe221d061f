/**
 * The versions of one incident (same incidentId, one eventId each: the original and its
 * amendments), as the `incident-version` items record them. Pure rules over them:
 * - safeguarding is sticky: once any version carried `safeguardingConcern: true`, every
 *   version is treated as safeguarding (no parent notice; the DSL sees each amendment);
 * - the latest version (by occurredAt, then eventId) is the incident: it is counted once,
 *   in the week it is filed under.
 */
export interface IncidentVersion {
  incidentId: string;
  eventId: string;
  occurredAtUtc: string;
  /** The ISO week the version is filed under (the week it happened). */
  week: string;
  safeguardingConcern: boolean;
}

export function anySafeguarding(versions: readonly IncidentVersion[]): boolean {
  return versions.some((version) => version.safeguardingConcern === true);
}

const later = (a: IncidentVersion, b: IncidentVersion) => a.occurredAtUtc > b.occurredAtUtc || (a.occurredAtUtc === b.occurredAtUtc && a.eventId > b.eventId);

export function latestVersion(versions: readonly IncidentVersion[]): IncidentVersion | undefined {
  return versions.reduce<IncidentVersion | undefined>((best, version) => (!best || later(version, best) ? version : best), undefined);
}

/** The distinct weeks an incident's versions are filed under. */
export const weeksOfVersions = (versions: readonly IncidentVersion[]) => [...new Set(versions.map((version) => version.week))].sort();
