/** `notify-parents` → `NotifyParents`: construct ids from function and rule names. */
export function pascal(value: string): string {
  return value
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** `Api5xxAlarm` → `api5xx`: alarm names from construct ids. */
export function kebab(value: string): string {
  return value
    .replace(/Alarm$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/** Powertools' namespace of the business metrics (POWERTOOLS_METRICS_NAMESPACE). */
export const metricsNamespace = (stage: string) => `InterventionTracker/${stage}`;
