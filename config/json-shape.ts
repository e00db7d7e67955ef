/** Small helpers for walking parsed JSON and reporting shape problems. */
import { didYouMean, nearest } from "./did-you-mean";
import { Problem, problem } from "./problems";

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function joinPath(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

/** Reports keys that are not in `known`, suggesting the closest known key. */
export function unknownKeys(path: string, value: Json, known: readonly string[]): Problem[] {
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const suggestion = nearest(key, known);
      const hint = suggestion !== undefined ? didYouMean(suggestion) : `known keys here: ${known.join(", ")}`;
      const keyPath = joinPath(path, key);
      return { path: keyPath, message: `${keyPath}: unknown key; ${hint}` };
    });
}

/** Checks that `value` is an object (when required, or when present). */
export function objectAt(path: string, value: unknown, example: string, required: boolean): Problem[] {
  if (isObject(value)) return [];
  if (value === undefined && !required) return [];
  const expected =
    value === undefined ? `is required: an object (e.g. ${example})` : `must be an object (e.g. ${example})`;
  return [problem(path, value, expected)];
}

/** Runs `rule` on `object[key]` only when the key is present. */
export function optionalField(
  object: Json,
  path: string,
  key: string,
  rule: (path: string, value: unknown) => Problem[],
): Problem[] {
  return object[key] === undefined ? [] : rule(joinPath(path, key), object[key]);
}

/** Runs `rule` on every item of a list field; reports a non-list. */
export function listField(
  object: Json,
  path: string,
  key: string,
  example: string,
  rule: (path: string, value: unknown) => Problem[],
): Problem[] {
  const value = object[key];
  const fieldPath = joinPath(path, key);
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [problem(fieldPath, value, `must be a list (e.g. ${example})`)];
  return value.flatMap((item, index) => rule(`${fieldPath}[${index}]`, item));
}
