/** A labelled input with its error tied to it (aria-describedby, aria-invalid). */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'search';
  autocomplete?: string;
  inputMode?: 'numeric' | 'text';
  spellcheck?: boolean;
}) {
  const { id, label, value, onInput, error, hint, type = 'text', autocomplete, inputMode, spellcheck } = props;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      <input
        id={id}
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
        type={type as 'text'}
        autocomplete={autocomplete}
        inputMode={inputMode}
        spellcheck={spellcheck}
      />
    </div>
  );
}

/** Errors listed at the top of a form, each a link to its field; it takes focus on a failed submit. */
export function ErrorSummary(props: { errors: { id: string; message: string }[]; summaryRef: { current: HTMLDivElement | null } }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={props.summaryRef} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {props.errors.map((error) => (
          <li key={error.id + error.message}>
            <a
              href={`#${error.id}`}
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(error.id)?.focus();
              }}
            >
              {error.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
