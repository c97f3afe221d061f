/**
 * Which figures a re-fold changed: the leaf paths where two stored figures differ. Key order
 * is ignored (DynamoDB does not keep it); a list (such as persistentAbsentees) is one figure.
 */
export function changedFigures(before: unknown, after: unknown, path = ''): string[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedFigures(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return canonical(before) === canonical(after) ? [] : [path];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}
