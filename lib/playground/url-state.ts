/**
 * Lab state in the URL, so any lab can be shared as a link. Each lab describes its fields
 * once (a default, how to read one from the query string, how to write it); a field at its
 * default is left out of the URL, and a value that does not parse (hand-edited, truncated)
 * falls back to the default instead of breaking the page.
 */

export interface Field<T> {
  default: T;
  /** The value for one query-string entry, or undefined when it is not valid. */
  parse: (raw: string) => T | undefined;
  format: (value: T) => string;
  equals?: (a: T, b: T) => boolean;
}

export type Spec<T> = { readonly [K in keyof T]: Field<T[K]> };

export function decodeState<T>(spec: Spec<T>, params: URLSearchParams): T {
  const state = {} as T;
  for (const key of Object.keys(spec) as (keyof T & string)[]) {
    const field = spec[key];
    const raw = params.get(key);
    const value = raw === null ? undefined : field.parse(raw);
    state[key] = value === undefined ? field.default : value;
  }
  return state;
}

export function encodeState<T>(spec: Spec<T>, state: T): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(spec) as (keyof T & string)[]) {
    const field = spec[key];
    const value = state[key];
    const same = field.equals ? field.equals(value, field.default) : Object.is(value, field.default);
    if (!same) params.set(key, field.format(value));
  }
  return params;
}

/** Free text, cut to `max` characters (a shared link cannot smuggle in a huge input). */
export function textField(defaultValue: string, max: number): Field<string> {
  return { default: defaultValue, parse: (raw) => raw.slice(0, max), format: (v) => v };
}

/** A finite number in [min, max]; `integer` rejects fractions. */
export function numberField(defaultValue: number, options: { min: number; max: number; integer?: boolean }): Field<number> {
  return {
    default: defaultValue,
    parse: (raw) => {
      if (raw.trim() === "") return undefined;
      const n = Number(raw);
      if (!Number.isFinite(n) || n < options.min || n > options.max) return undefined;
      if (options.integer && !Number.isInteger(n)) return undefined;
      return n;
    },
    format: (v) => String(v),
  };
}

export function booleanField(defaultValue: boolean): Field<boolean> {
  return {
    default: defaultValue,
    parse: (raw) => (raw === "1" || raw === "true" ? true : raw === "0" || raw === "false" ? false : undefined),
    format: (v) => (v ? "1" : "0"),
  };
}

/** One of a fixed set of strings. */
export function choiceField<const C extends string>(defaultValue: C, choices: readonly C[]): Field<C> {
  return {
    default: defaultValue,
    parse: (raw) => (choices.includes(raw as C) ? (raw as C) : undefined),
    format: (v) => v,
  };
}

/** A comma-separated list of non-negative integers (token ids), at most `max` of them. */
export function idListField(max: number): Field<number[]> {
  return {
    default: [],
    parse: (raw) => {
      if (raw === "") return [];
      const parts = raw.split(",");
      if (parts.length > max || !parts.every((p) => /^(0|[1-9][0-9]{0,8})$/.test(p))) return undefined;
      return parts.map(Number);
    },
    format: (v) => v.join(","),
    equals: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
  };
}

/** A list of strings joined by `separator` (which the items cannot contain), at most `max` items of `maxLength`. */
export function stringListField(defaultValue: readonly string[], options: { max: number; maxLength: number; separator?: string }): Field<string[]> {
  const sep = options.separator ?? ",";
  return {
    default: [...defaultValue],
    parse: (raw) => {
      const items = raw === "" ? [] : raw.split(sep);
      if (items.length > options.max) return undefined;
      return items.map((s) => s.slice(0, options.maxLength));
    },
    format: (v) => v.join(sep),
    equals: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
  };
}
