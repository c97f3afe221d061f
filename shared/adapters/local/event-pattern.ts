/**
 * Dependency-free EventBridge event-pattern matcher for the local event bus, so local runs
 * evaluate exactly the rule patterns that the deployed EventBridge rules use.
 *
 * Semantics follow the AWS EventBridge user guide ("Creating event patterns", "Content filtering
 * in Amazon EventBridge event patterns", "Comparison operators") and aws/event-ruler, the engine
 * behind EventBridge:
 * - every field in a pattern must match (AND); a leaf is an array of alternatives (OR);
 * - an event array matches when any of its elements matches;
 * - a pattern field absent from the event never matches, except `{ "exists": false }`;
 * - only leaf values (strings, numbers, booleans, null) count as "present" (exists, anything-but).
 */

export type EventPattern = Record<string, unknown>;

type Json = Record<string, unknown>;

const OR_KEY = '$or';

const COMPARATORS: Record<string, (value: number, bound: number) => boolean> = {
  '=': (v, b) => v === b,
  '<': (v, b) => v < b,
  '<=': (v, b) => v <= b,
  '>': (v, b) => v > b,
  '>=': (v, b) => v >= b,
};

// Validating costs more than matching, so each pattern object is validated once.
const validated = new WeakSet<EventPattern>();
const wildcardCache = new Map<string, RegExp>();

export function matchesEventPattern(pattern: EventPattern, event: Record<string, unknown>): boolean {
  if (!validated.has(pattern)) assertValidEventPattern(pattern);
  return matchObject(pattern, event);
}

export function assertValidEventPattern(pattern: EventPattern): void {
  validateObject(pattern, '');
  validated.add(pattern);
}

// ---------------------------------------------------------------------------------------------
// Matching (assumes a validated pattern)

function matchObject(pattern: Json, event: Json): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === OR_KEY) return (rule as Json[]).some((alternative) => matchObject(alternative, event));
    const value = Object.hasOwn(event, key) ? event[key] : undefined;
    if (Array.isArray(rule)) return matchLeaf(rule, leafValues(value));
    // A missing or non-object value is matched as {} so that `exists: false` deeper down still holds.
    const children = [value].flat(Infinity).filter(isObject);
    return (children.length > 0 ? children : [{}]).some((child) => matchObject(rule as Json, child));
  });
}

function leafValues(value: unknown): unknown[] {
  if (value === undefined || isObject(value)) return [];
  return Array.isArray(value) ? value.flatMap(leafValues) : [value];
}

function matchLeaf(rules: unknown[], values: unknown[]): boolean {
  return rules.some((rule) => {
    if (!isObject(rule)) return values.some((value) => value === rule);
    const [name, arg] = Object.entries(rule)[0] as [string, unknown];
    if (name === 'exists') return arg === values.length > 0;
    return values.some((value) => testOperator(name, arg, value));
  });
}

function testOperator(name: string, arg: unknown, value: unknown): boolean {
  switch (name) {
    case 'prefix':
      return affixMatches(arg, value, (s, affix) => s.startsWith(affix));
    case 'suffix':
      return affixMatches(arg, value, (s, affix) => s.endsWith(affix));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === (arg as string).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcardRegExp(arg as string).test(value);
    case 'numeric':
      return typeof value === 'number' && numericMatches(arg as unknown[], value);
    case 'cidr':
      return typeof value === 'string' && cidrContains(parseCidr(arg as string)!, value);
    case 'anything-but':
      return !anythingButExcludes(arg, value);
    default:
      return false;
  }
}

function affixMatches(arg: unknown, value: unknown, test: (s: string, affix: string) => boolean): boolean {
  if (typeof value !== 'string') return false;
  if (typeof arg === 'string') return test(value, arg);
  const affix = (arg as Json)['equals-ignore-case'] as string;
  return test(value.toLowerCase(), affix.toLowerCase());
}

function anythingButExcludes(arg: unknown, value: unknown): boolean {
  if (isObject(arg)) {
    // {"prefix"|"suffix"|"wildcard"|"equals-ignore-case": string | string[]}
    const [name, inner] = Object.entries(arg)[0] as [string, unknown];
    return [inner].flat().some((operand) => testOperator(name, operand, value));
  }
  return [arg].flat().some((excluded) => excluded === value);
}

function numericMatches(conditions: unknown[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const compare = COMPARATORS[conditions[i] as string]!;
    if (!compare(value, conditions[i + 1] as number)) return false;
  }
  return true;
}

function wildcardRegExp(pattern: string): RegExp {
  let regexp = wildcardCache.get(pattern);
  if (!regexp) {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i]!;
      if (ch === '*') source += '[\\s\\S]*';
      else source += escapeRegExp(ch === '\\' ? pattern[++i]! : ch); // `\*` and `\\` are literals
    }
    regexp = new RegExp(`^${source}$`);
    wildcardCache.set(pattern, regexp);
  }
  return regexp;
}

function escapeRegExp(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function parseCidr(text: string): { base: number; mask: number } | undefined {
  const [ip, bits = '32', extra] = text.split('/');
  const base = parseIpv4(ip ?? '');
  if (base === undefined || extra !== undefined || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  return { base: (base & mask) >>> 0, mask };
}

function cidrContains(range: { base: number; mask: number }, value: string): boolean {
  const ip = parseIpv4(value);
  return ip !== undefined && (ip & range.mask) >>> 0 === range.base;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Validation: reject malformed rules at start-up rather than silently never matching.

function fail(path: string, problem: string): never {
  throw new Error(`Invalid event pattern at "${path || '<root>'}": ${problem}`);
}

function validateObject(node: unknown, path: string): void {
  if (!isObject(node)) fail(path, `expected an object, got ${JSON.stringify(node)}`);
  if (Object.keys(node).length === 0) fail(path, 'empty objects are not allowed');
  for (const [key, value] of Object.entries(node)) {
    const here = path ? `${path}.${key}` : key;
    if (key === OR_KEY) {
      if (!Array.isArray(value) || value.length < 2) fail(here, '$or must be an array of at least two sub-patterns');
      value.forEach((alternative, i) => validateObject(alternative, `${here}[${i}]`));
    } else if (Array.isArray(value)) {
      if (value.length === 0) fail(here, 'empty arrays are not allowed');
      for (const rule of value) validateRule(rule, here);
    } else if (isObject(value)) {
      validateObject(value, here);
    } else {
      fail(here, `a leaf must be an array of allowed values, got ${JSON.stringify(value)}`);
    }
  }
}

function validateRule(rule: unknown, path: string): void {
  if (rule === null || ['string', 'number', 'boolean'].includes(typeof rule)) return;
  if (!isObject(rule)) fail(path, `unsupported value ${JSON.stringify(rule)}`);
  const entries = Object.entries(rule);
  if (entries.length !== 1) fail(path, `an operator object needs exactly one key, got ${JSON.stringify(rule)}`);
  const [name, arg] = entries[0]!;
  switch (name) {
    case 'prefix':
    case 'suffix':
      if (isObject(arg) && Object.keys(arg).length === 1 && typeof arg['equals-ignore-case'] === 'string') return;
      return assertString(arg, path, name);
    case 'equals-ignore-case':
      return assertString(arg, path, name);
    case 'wildcard':
      return assertWildcard(arg, path);
    case 'exists':
      if (typeof arg !== 'boolean') fail(path, `"exists" needs true or false, got ${JSON.stringify(arg)}`);
      return;
    case 'numeric':
      return assertNumeric(arg, path);
    case 'cidr':
      if (typeof arg !== 'string' || !parseCidr(arg)) fail(path, `"cidr" needs an IPv4 CIDR like "10.0.0.0/24", got ${JSON.stringify(arg)}`);
      return;
    case 'anything-but':
      return assertAnythingBut(arg, path);
    default:
      fail(path, `unknown operator "${name}"`);
  }
}

function assertString(arg: unknown, path: string, name: string): void {
  if (typeof arg !== 'string') fail(path, `"${name}" needs a string, got ${JSON.stringify(arg)}`);
}

function assertWildcard(arg: unknown, path: string): void {
  assertString(arg, path, 'wildcard');
  const text = arg as string;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      if (text[i + 1] !== '*' && text[i + 1] !== '\\') fail(path, `"wildcard" may only escape "*" or "\\" in ${JSON.stringify(text)}`);
      i++;
    } else if (text[i] === '*' && text[i + 1] === '*') {
      fail(path, `"wildcard" does not allow consecutive "*" in ${JSON.stringify(text)}`);
    }
  }
}

function assertNumeric(arg: unknown, path: string): void {
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) {
    fail(path, `"numeric" needs [op, number] or [op, number, op, number], got ${JSON.stringify(arg)}`);
  }
  const ops: string[] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const [op, bound] = [arg[i], arg[i + 1]];
    if (typeof op !== 'string' || !(op in COMPARATORS)) fail(path, `unknown numeric operator ${JSON.stringify(op)}`);
    if (typeof bound !== 'number' || !Number.isFinite(bound)) fail(path, `numeric operator "${op}" needs a number, got ${JSON.stringify(bound)}`);
    ops.push(op);
  }
  // A two-sided range is one lower bound plus one upper bound; "=" stands alone.
  if (ops.length === 2 && !(ops.some((op) => op.startsWith('>')) && ops.some((op) => op.startsWith('<')))) {
    fail(path, `a numeric range needs one ">"/">=" and one "<"/"<=", got ${JSON.stringify(arg)}`);
  }
}

function assertAnythingBut(arg: unknown, path: string): void {
  if (typeof arg === 'string' || typeof arg === 'number') return;
  if (Array.isArray(arg)) {
    const allStrings = arg.every((v) => typeof v === 'string');
    const allNumbers = arg.every((v) => typeof v === 'number');
    if (arg.length > 0 && (allStrings || allNumbers)) return;
    fail(path, `"anything-but" list must hold only strings or only numbers, got ${JSON.stringify(arg)}`);
  }
  const entries = isObject(arg) ? Object.entries(arg) : [];
  const [name, inner] = entries[0] ?? [];
  const operands = [inner].flat();
  if (
    entries.length !== 1 ||
    !['prefix', 'suffix', 'wildcard', 'equals-ignore-case'].includes(name ?? '') ||
    operands.length === 0 ||
    !operands.every((v) => typeof v === 'string')
  ) {
    fail(path, `unsupported "anything-but" value ${JSON.stringify(arg)}`);
  }
  if (name === 'wildcard') for (const operand of operands) assertWildcard(operand, path);
}
