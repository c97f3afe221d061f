import { fieldLabel } from './labels';

/**
 * Renders a form for any JSON Schema that zod makes of a catalogue entry (events/): strings,
 * dates, numbers, booleans, enums, nested objects, lists and either-or objects. A new event
 * type gets its form from its schema alone.
 */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  description?: string;
  const?: unknown;
}

export const fieldId = (path: string) => `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

export interface FieldProps {
  name: string;
  path: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
  errors: Map<string, string>;
}

/** A value to start a field with: false for a required yes/no, one item for a list that needs one. */
export function initialValue(schema: JsonSchema, required: boolean): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.type === 'boolean') return required ? false : undefined;
  if (schema.type === 'object') {
    const object: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(schema.properties ?? {})) object[name] = initialValue(child, schema.required?.includes(name) ?? false);
    return object;
  }
  if (schema.type === 'array' && (schema.minItems ?? 0) > 0 && schema.items) return [initialValue(schema.items, true)];
  if (schema.anyOf) return initialValue(schema.anyOf[0]!, required);
  return undefined;
}

/** Drops blanks so optional fields left empty are not sent. */
export function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([key, child]) => [key, clean(child)] as const)
      .filter(([, child]) => child !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value === '' ? undefined : value;
}

function Message({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="error" id={`${id}-error`}>
      <span class="visually-hidden">Error: </span>
      {error}
    </p>
  ) : null;
}

export function SchemaField(props: FieldProps) {
  const { name, path, schema, required, value, onChange, errors } = props;
  const id = fieldId(path);
  const error = errors.get(path);
  const label = `${fieldLabel(name)}${required ? '' : ' (optional)'}`;
  const aria = {
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby':
      [schema.description || schema.format?.startsWith('date') ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined,
  };
  // Dates are typed (YYYY-MM-DD) rather than picked: the same on every browser and by keyboard.
  const hintText =
    schema.format === 'date'
      ? 'For example 2026-11-23'
      : schema.format === 'date-time'
        ? 'Date and time with offset, for example 2026-11-23T10:15:00Z'
        : schema.description;
  const hint = hintText && (
    <p class="hint" id={`${id}-hint`}>
      {hintText}
    </p>
  );

  // A fixed value (`withhold: true`) needs no field: initialValue has set it.
  if (schema.const !== undefined) return null;
  if (schema.anyOf) return <EitherOr {...props} />;
  if (schema.type === 'array' && schema.items?.enum) return <Choices {...props} />;
  if (schema.type === 'object') {
    const object = (value ?? {}) as Record<string, unknown>;
    return (
      <fieldset class="group" id={id} tabIndex={-1}>
        <legend>{label}</legend>
        <Message id={id} error={error} />
        {Object.entries(schema.properties ?? {}).map(([child, childSchema]) => (
          <SchemaField
            key={child}
            name={child}
            path={`${path}.${child}`}
            schema={childSchema}
            required={schema.required?.includes(child) ?? false}
            value={object[child]}
            onChange={(next) => onChange({ ...object, [child]: next })}
            errors={errors}
          />
        ))}
      </fieldset>
    );
  }
  if (schema.type === 'array' && schema.items?.type !== 'object' && !schema.items?.anyOf) {
    return (
      <div class={`field${error ? ' invalid' : ''}`}>
        <label for={id}>{label}</label>
        <p class="hint" id={`${id}-hint`}>
          One per line.
        </p>
        <Message id={id} error={error} />
        <textarea
          id={id}
          rows={3}
          value={((value as string[] | undefined) ?? []).join('\n')}
          onInput={(event) =>
            onChange(
              event.currentTarget.value
                .split('\n')
                .map((line) => line.trim())
                .filter(Boolean),
            )
          }
          {...aria}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        />
      </div>
    );
  }
  if (schema.type === 'array') return <List {...props} />;
  if (schema.type === 'boolean') {
    return (
      <div class={`field check${error ? ' invalid' : ''}`}>
        <Message id={id} error={error} />
        <input id={id} type="checkbox" checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} {...aria} />
        <label for={id}>{label}</label>
      </div>
    );
  }
  const input = schema.enum ? (
    <select id={id} value={String(value ?? '')} onChange={(event) => onChange(event.currentTarget.value || undefined)} {...aria}>
      <option value="">Choose…</option>
      {schema.enum.map((option) => (
        <option key={String(option)} value={String(option)}>
          {fieldLabel(String(option).replace(/_/g, ' '))}
        </option>
      ))}
    </select>
  ) : schema.type === 'number' || schema.type === 'integer' ? (
    <input
      id={id}
      type="number"
      inputMode="numeric"
      min={schema.minimum}
      max={schema.maximum}
      step={schema.type === 'integer' ? 1 : 'any'}
      value={value === undefined ? '' : String(value)}
      onInput={(event) => onChange(event.currentTarget.value === '' ? undefined : Number(event.currentTarget.value))}
      {...aria}
    />
  ) : (schema.maxLength ?? 0) > 200 ? (
    <textarea id={id} rows={4} value={String(value ?? '')} onInput={(event) => onChange(event.currentTarget.value)} {...aria} />
  ) : (
    <input id={id} type="text" value={String(value ?? '')} onInput={(event) => onChange(event.currentTarget.value)} {...aria} />
  );
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint}
      <Message id={id} error={error} />
      {input}
    </div>
  );
}

/** A list of objects: add and remove items; each item is a group of fields. */
function List({ name, path, schema, value, onChange, errors }: FieldProps) {
  const items = (value as unknown[] | undefined) ?? [];
  const item = schema.items!;
  const singular = fieldLabel(name).replace(/s$/, '').toLowerCase();
  return (
    <fieldset class="group" id={fieldId(path)} tabIndex={-1}>
      <legend>{fieldLabel(name)}</legend>
      <Message id={fieldId(path)} error={errors.get(path)} />
      {items.map((entry, index) => (
        <div class="list-item" key={index}>
          <SchemaField
            name={`${singular} ${index + 1}`}
            path={`${path}.${index}`}
            schema={item}
            required
            value={entry}
            onChange={(next) => onChange(items.map((old, at) => (at === index ? next : old)))}
            errors={errors}
          />
          <button type="button" class="secondary" onClick={() => onChange(items.filter((_, at) => at !== index))}>
            Remove {singular} {index + 1}
          </button>
        </div>
      ))}
      <button type="button" class="secondary" id={`${fieldId(path)}-add`} onClick={() => onChange([...items, initialValue(item, true)])}>
        Add {singular}
      </button>
    </fieldset>
  );
}

/** Several checkboxes for a list of fixed options (`types`: force, restraint, seclusion). */
function Choices({ name, path, schema, required, value, onChange, errors }: FieldProps) {
  const chosen = new Set((value as string[] | undefined) ?? []);
  const id = fieldId(path);
  return (
    <fieldset class="group" id={id} tabIndex={-1}>
      <legend>{`${fieldLabel(name)}${required ? '' : ' (optional)'}`}</legend>
      <Message id={id} error={errors.get(path)} />
      {schema.items!.enum!.map((option) => (
        <label key={String(option)} class="check">
          <input
            type="checkbox"
            checked={chosen.has(String(option))}
            onChange={() => onChange(schema.items!.enum!.map(String).filter((o) => (o === String(option) ? !chosen.has(o) : chosen.has(o))))}
          />{' '}
          {fieldLabel(String(option).replace(/_/g, ' '))}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * A value that is one of several shapes: a participant is a pupil or a member of staff; a
 * parents' report is "send" or an object saying why it is withheld.
 */
function EitherOr({ name, path, schema, value, onChange, errors }: FieldProps) {
  const variants = schema.anyOf!;
  const keyOf = (variant: JsonSchema) =>
    variant.const !== undefined
      ? String(variant.const)
      : (Object.keys(variant.properties ?? {}).find((key) => !variants.every((other) => key in (other.properties ?? {}))) ?? '');
  const object = (value ?? {}) as Record<string, unknown>;
  const chosen =
    variants.find((variant) => variant.const !== undefined && variant.const === value) ??
    variants.find((variant) => variant.const === undefined && typeof value === 'object' && keyOf(variant) in object) ??
    variants[0]!;
  const id = fieldId(`${path}.variant`);
  return (
    <fieldset class="group" id={fieldId(path)} tabIndex={-1}>
      <legend>{fieldLabel(name)}</legend>
      <Message id={fieldId(path)} error={errors.get(path)} />
      <div class="field">
        <label for={id}>Which</label>
        <select
          id={id}
          value={keyOf(chosen)}
          onChange={(event) => {
            const next = variants.find((variant) => keyOf(variant) === event.currentTarget.value)!;
            if (next.const !== undefined || typeof value !== 'object') return onChange(initialValue(next, true));
            const { [keyOf(chosen)]: _dropped, ...rest } = object;
            onChange({ ...rest, [keyOf(next)]: '' });
          }}
        >
          {variants.map((variant) => (
            <option key={keyOf(variant)} value={keyOf(variant)}>
              {fieldLabel(keyOf(variant))}
            </option>
          ))}
        </select>
      </div>
      {Object.entries(chosen.properties ?? {}).map(([child, childSchema]) => (
        <SchemaField
          key={child}
          name={child}
          path={`${path}.${child}`}
          schema={childSchema}
          required={chosen.required?.includes(child) ?? false}
          value={object[child]}
          onChange={(next) => onChange({ ...object, [child]: next })}
          errors={errors}
        />
      ))}
    </fieldset>
  );
}
