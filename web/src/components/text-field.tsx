import { TEXT_LIMITS } from '../../../libs/messaging/src/field-bounds';

interface TextFieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  required?: boolean;
  /** Names by default (TEXT_LIMITS.name); `description` for the longer text. */
  limit?: keyof typeof TEXT_LIMITS;
  /** A textarea of this many rows instead of one line. */
  rows?: number;
}

/** A labelled text input, bounded as the API bounds the field. */
export function TextField({
  label,
  value,
  onValue,
  required,
  limit = 'name',
  rows,
}: TextFieldProps) {
  const common = {
    value,
    required,
    maxLength: TEXT_LIMITS[limit],
    onInput: (event: Event) => onValue((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <label class="field">
      <span>{label}</span>
      {rows ? <textarea rows={rows} {...common} /> : <input {...common} />}
    </label>
  );
}
