/**
 * The JSON Schema of the config file, made from the tables the validator walks (fields.ts), so
 * the two cannot drift: `npm run schema` writes it to cross-account-config.schema.json, and a
 * test fails when the checked-in file differs. Draft-07: the newest draft that VS Code's and
 * JetBrains' JSON support implement in full. Nothing here runs at synth.
 */
import * as path from "node:path";
import type { BackendDependentShape, Field, ListShape, ObjectShape, Shape, TaggedShape } from "./field-table";
import { LIST_FORM, SINGLE_FORM } from "./fields";
import type { JsonSchema } from "./schema-rule";

/** The schema's file name, beside this file; example configs name it in `$schema`. */
export const SCHEMA_FILE_NAME = "cross-account-config.schema.json";
export const SCHEMA_PATH = path.join(__dirname, SCHEMA_FILE_NAME);

/** The checks JSON Schema cannot express, which only the validator makes (the schema's description lists them). */
export const VALIDATOR_ONLY_CHECKS = [
  "bucketOwner and accessor are two accounts, in one partition",
  "role ARNs (deploy roles, humanAccess.roleArns, an existing instance role's) are in their account and partition, and bucket.kmsKeyArn is in the owner account and the bucket's region",
  "keys that exclude or need one another: instance.amiId and instance.amiSsmParameter; bucket.kmsKeyArn and bucket.encryption with bucket.existing; instanceRoleName as an ARN needs existingInstanceRole, which rules out instance.create true; humanAccess.groupName and humanAccess.userNames need each other, humanAccess names somebody and needs accessMode role-chain",
  "a1 instance types need instance.amiId or another instance.amiSsmParameter",
  "tags: at most 50 on a resource with the project's own (ManagedBy, Project, the instance's Name), and no two keys that differ only in case",
  "a keyPrefix fits an S3 object key: at most 1,024 bytes of UTF-8",
  "humanAccess lists each user and role once, and not the instance role",
  "each S3 state is its own object and has a lock; each HCP Terraform workspace is its own",
  "in the accessors list: names, access points, target and instance roles, groups and states are unique; no key prefix contains another's unless allowPrefixOverlap says so; a name that also names the access point avoids S3's reserved xn-- prefix and -s3alias suffix; a default workspace name fits 90 characters; at most 5,000 consumers",
  "at synth: the policies built from the config fit IAM's and S3's size quotas",
];

const DESCRIPTION = [
  "The config of cross-account-s3-access: the JSON file named by CROSS_ACCOUNT_CONFIG.",
  "Generated from config/fields.ts by `npm run schema`; do not edit.",
  "It checks each key's type, shape and allowed values as the app's validator does.",
  `Only the validator (npm run check-config, and every synth) checks what joins several keys: ${VALIDATOR_ONLY_CHECKS.join("; ")}.`,
].join(" ");

/** Builds definitions for named shapes as they are met, so each is written once and referenced. */
class SchemaBuilder {
  readonly definitions: Record<string, JsonSchema> = {};
  private readonly named = new Map<ObjectShape, string>();

  /** A reference to a named shape (built on first use), or the shape inline. */
  shape(shape: Shape): JsonSchema {
    switch (shape.kind) {
      case "object":
        return shape.name === undefined ? this.object(shape) : this.reference(shape, shape.name);
      case "tagged":
        return this.tagged(shape);
      case "list":
        return this.list(shape);
      case "by-backend-type":
        // Its variants depend on the config's backend.type: see backendConditions.
        return { type: "object" };
    }
  }

  private reference(shape: ObjectShape, name: string): JsonSchema {
    const known = this.named.get(shape);
    if (known === undefined) {
      if (this.definitions[name] !== undefined) throw new Error(`two config tables are named "${name}"`);
      this.named.set(shape, name);
      this.definitions[name] = {};
      this.definitions[name] = this.object(shape);
    } else if (known !== name) {
      throw new Error(`the config table "${name}" is also named "${known}"`);
    }
    return { $ref: `#/definitions/${name}` };
  }

  object(shape: ObjectShape, extra: Readonly<Record<string, JsonSchema>> = {}): JsonSchema {
    const entries = Object.entries<Field>(shape.fields);
    const required = entries.filter(([, field]) => field.required === true).map(([key]) => key);
    return {
      type: "object",
      properties: { ...Object.fromEntries(entries.map(([key, field]) => [key, this.field(field)])), ...extra },
      ...(required.length === 0 ? {} : { required }),
      additionalProperties: false,
      ...this.backendConditions(shape),
    };
  }

  field(field: Field): JsonSchema {
    const check = field.check;
    const described = { description: field.description };
    const defaults = field.default === undefined ? {} : { default: field.default };
    if (typeof check !== "function") {
      const schema = this.shape(check);
      // Draft-07 ignores keywords beside $ref, so a reference is wrapped to keep the field's own description.
      const body = schema.$ref === undefined ? schema : { allOf: [schema] };
      return { ...described, ...body, ...defaults };
    }
    const { examples: ruleExamples, ...schema } = check.schema;
    const example = field.example ?? check.example;
    const examples = [
      ...new Set([...(example === undefined ? [] : [example]), ...((ruleExamples as unknown[] | undefined) ?? [])]),
    ];
    return { ...described, ...schema, ...defaults, ...(examples.length === 0 ? {} : { examples }) };
  }

  private tagged(shape: TaggedShape): JsonSchema {
    return {
      type: "object",
      properties: { [shape.tag]: this.field(shape.tagField) },
      required: [shape.tag],
      allOf: Object.entries(shape.variants).map(([name, variant]) => ({
        if: { properties: { [shape.tag]: { const: name } }, required: [shape.tag] },
        then: this.object(variant, { [shape.tag]: { const: name } }),
      })),
    };
  }

  private list(shape: ListShape): JsonSchema {
    return { type: "array", minItems: shape.minItems, items: this.shape(shape.items) };
  }

  /**
   * For a list whose items have a key that depends on backend.type (a consumer's own backend
   * settings): one condition per backend type on the object holding both, and "not allowed"
   * for a type without settings.
   */
  private backendConditions(shape: ObjectShape): JsonSchema {
    const conditions: JsonSchema[] = [];
    for (const [listKey, listField] of Object.entries<Field>(shape.fields)) {
      const list = listField.check;
      if (typeof list === "function" || list.kind !== "list") continue;
      for (const [itemKey, itemField] of Object.entries<Field>(list.items.fields)) {
        const dependent = itemField.check;
        if (typeof dependent === "function" || dependent.kind !== "by-backend-type") continue;
        conditions.push(...this.dependentConditions(listKey, itemKey, dependent, backendTypesOf(shape)));
      }
    }
    return conditions.length === 0 ? {} : { allOf: conditions };
  }

  private dependentConditions(
    listKey: string,
    itemKey: string,
    dependent: BackendDependentShape,
    backendTypes: readonly string[],
  ): JsonSchema[] {
    const itemsWith = (schema: unknown): JsonSchema => ({
      properties: { [listKey]: { type: "array", items: { type: "object", properties: { [itemKey]: schema } } } },
    });
    return backendTypes.map((type) => {
      const variant = dependent.variants[type];
      const backendIs = {
        required: ["backend"],
        properties: { backend: { type: "object", required: ["type"], properties: { type: { const: type } } } },
      };
      // The backend is local when absent.
      const when = type === "local" ? { anyOf: [{ not: { required: ["backend"] } }, backendIs] } : backendIs;
      return { if: when, then: itemsWith(variant === undefined ? false : this.shape(variant)) };
    });
  }
}

/** The backend types of a form (the variants of its `backend` key). */
function backendTypesOf(shape: ObjectShape): string[] {
  const backend = shape.fields.backend?.check;
  return backend !== undefined && typeof backend !== "function" && backend.kind === "tagged"
    ? Object.keys(backend.variants)
    : [];
}

/** The config's JSON Schema: the single `accessor` form or the `accessors` list form. */
export function configJsonSchema(): JsonSchema {
  const builder = new SchemaBuilder();
  const single = builder.shape(SINGLE_FORM);
  const list = builder.shape(LIST_FORM);
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "cross-account-s3-access config",
    description: DESCRIPTION,
    oneOf: [single, list],
    definitions: builder.definitions,
  };
}
