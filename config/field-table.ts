/**
 * The shape of a config object as one small table: each key with its rule, whether it is
 * required, its default, a one-line description and an example. The validator walks these
 * tables (checkObject below); json-schema.ts turns the same tables into the JSON Schema, and
 * config-reference.ts into docs/configuration.md. A field is declared once, in fields.ts.
 */
import { isObject, joinPath, objectAt, unknownKeys, type Json } from "./json-shape";
import type { Problem } from "./problems";
import type { Rule, SchemaRule } from "./schema-rule";

/** One key of a config object. */
export interface Field {
  /** The value's rule, or the shape of a nested object. */
  readonly check: SchemaRule | Shape;
  /** The key must be present. */
  readonly required?: boolean;
  /** The value used when the key is absent, as JSON. */
  readonly default?: unknown;
  /** The default in words, where it is not one value (e.g. "true (false with existingInstanceRole)"). */
  readonly defaultText?: string;
  /** What the key is for, in one line. */
  readonly description: string;
  /** A good value, where the rule's own example does not fit this key. */
  readonly example?: unknown;
}

/** An object with a fixed set of keys. */
export interface ObjectShape<Key extends string = string> {
  readonly kind: "object";
  /** Its name in the schema's definitions, for a shape used in several places. */
  readonly name?: string;
  readonly fields: Readonly<Record<Key, Field>>;
  /** A short example of the object, for "is required: an object (e.g. …)". */
  readonly example: string;
}

/** An object whose keys depend on one key's value: the backend, by its `type`. */
export interface TaggedShape {
  readonly kind: "tagged";
  /** The key that selects the variant, and its field (a rule that accepts exactly the variants' names). */
  readonly tag: string;
  readonly tagField: Field & { readonly check: SchemaRule };
  /** The other keys of each variant. */
  readonly variants: Readonly<Record<string, ObjectShape>>;
  readonly example: string;
}

/** A list of objects of one shape. */
export interface ListShape {
  readonly kind: "list";
  readonly items: ObjectShape;
  readonly minItems: number;
  readonly example: string;
}

/**
 * An object whose shape depends on the config's `backend.type` (a consumer's own backend
 * settings): no variant for a backend type means the key is not allowed with it.
 */
export interface BackendDependentShape {
  readonly kind: "by-backend-type";
  readonly variants: Readonly<Record<string, ObjectShape>>;
}

export type Shape = ObjectShape | TaggedShape | ListShape | BackendDependentShape;

export function objectShape<Key extends string>(
  example: string,
  fields: Readonly<Record<Key, Field>>,
  name?: string,
): ObjectShape<Key> {
  return { kind: "object", fields, example, ...(name === undefined ? {} : { name }) };
}

/** The keys of a shape, in table order. */
export function keysOf<Key extends string>(shape: ObjectShape<Key>): Key[] {
  return Object.keys(shape.fields) as Key[];
}

/** `shape` without `keys` (a form of the config where they are not allowed). */
export function withoutFields<Key extends string, Omitted extends Key>(
  shape: ObjectShape<Key>,
  keys: readonly Omitted[],
  name?: string,
): ObjectShape<Exclude<Key, Omitted>> {
  const fields = Object.fromEntries(
    Object.entries<Field>(shape.fields).filter(([key]) => !(keys as readonly string[]).includes(key)),
  ) as Record<Exclude<Key, Omitted>, Field>;
  return objectShape(shape.example, fields, name);
}

/** `shape` with some fields replaced or added, in place of the old ones (the table order stays). */
export function withFields<Key extends string, Added extends string>(
  shape: ObjectShape<Key>,
  fields: Readonly<Record<Added, Field>>,
  name?: string,
): ObjectShape<Key | Added> {
  return objectShape<Key | Added>(shape.example, { ...shape.fields, ...fields }, name);
}

/** The rule of a field whose value is not a nested object. */
export function ruleOf<Key extends string>(shape: ObjectShape<Key>, key: Key): SchemaRule {
  const check = shape.fields[key].check;
  if (typeof check !== "function") throw new Error(`the config field "${key}" is an object, not a value`);
  return check;
}

/** Rules that replace a field's table rule for one check: the same rule, bound to what other fields hold. */
export type Overrides = Readonly<Record<string, Rule>>;

/** Every problem of the fields of `value` (already known to be an object), in table order. */
export function checkFields(path: string, value: Json, shape: ObjectShape, overrides: Overrides = {}): Problem[] {
  return Object.entries<Field>(shape.fields).flatMap(([key, field]) => {
    const given = value[key];
    if (given === undefined && field.required !== true) return [];
    const rule = overrides[key] ?? fieldRule(field);
    return rule(joinPath(path, key), given);
  });
}

/** Every problem of an object: not an object (or missing when required), unknown keys, then each field. */
export function checkObject(
  path: string,
  value: unknown,
  shape: ObjectShape,
  required: boolean,
  overrides: Overrides = {},
): Problem[] {
  const found = objectAt(path, value, shape.example, required);
  if (!isObject(value)) return found;
  return [...found, ...unknownKeys(path, value, keysOf(shape)), ...checkFields(path, value, shape, overrides)];
}

/** The rule that checks a field with the table alone. */
function fieldRule(field: Field): Rule {
  const check = field.check;
  if (typeof check === "function") return check;
  const required = field.required === true;
  switch (check.kind) {
    case "object":
      return (path, value) => checkObject(path, value, check, required);
    case "tagged":
      return (path, value) => checkTagged(path, value, check, required);
    case "list":
    case "by-backend-type":
      // Both are checked where the config around them is known (accessors.ts, accessor-states.ts).
      throw new Error(`the config field of kind "${check.kind}" needs its own check`);
  }
}

/** The keys of one variant of a tagged object: the tag, then the variant's own. */
export function variantKeys(shape: TaggedShape, variant: ObjectShape): string[] {
  return [shape.tag, ...keysOf(variant)];
}

/** The variant of a tagged object whose tag is valid; undefined when it is not. */
export function variantOf(shape: TaggedShape, value: Json): ObjectShape | undefined {
  const tag = value[shape.tag];
  return typeof tag === "string" && Object.hasOwn(shape.variants, tag) ? shape.variants[tag] : undefined;
}

/** Every problem of a tagged object: its tag first; with a valid tag, the variant's keys and fields. */
export function checkTagged(
  path: string,
  value: unknown,
  shape: TaggedShape,
  required: boolean,
  overrides: Overrides = {},
): Problem[] {
  const found = objectAt(path, value, shape.example, required);
  if (!isObject(value)) return found;
  const tagProblems = shape.tagField.check(joinPath(path, shape.tag), value[shape.tag]);
  const variant = variantOf(shape, value);
  if (variant === undefined || tagProblems.length > 0) return [...found, ...tagProblems];
  return [
    ...found,
    ...unknownKeys(path, value, variantKeys(shape, variant)),
    ...checkFields(path, value, variant, overrides),
  ];
}

/** The value given for `key`, or the table's default (a fresh copy of a default list or object, all flat). */
export function givenOrDefault<Key extends string>(value: Json, shape: ObjectShape<Key>, key: Key): unknown {
  const given = value[key];
  if (given !== undefined) return given;
  const fallback = shape.fields[key].default;
  if (Array.isArray(fallback)) return [...(fallback as unknown[])];
  return isObject(fallback) ? { ...fallback } : fallback;
}
