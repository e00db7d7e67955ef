import { Construct } from "constructs";
import {
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  NamedRemoteWorkspace,
  TerraformRemoteState,
} from "cdktf";
import { nameElement } from "../lib/logical-id";

/** Where the bucket owner stack's state is, as the accessor reads it. */
export type OwnerStateSource =
  | {
      readonly type: "local";
      /** The owner's state file, relative to the accessor stack's working directory. */
      readonly path: string;
    }
  | {
      readonly type: "s3";
      readonly bucket: string;
      readonly key: string;
      readonly region: string;
      /** AWS CLI profile for reading the state; undefined means the ambient credentials. */
      readonly profile?: string;
      /** Role to assume for reading the state; undefined means the credentials themselves. */
      readonly roleArn?: string;
    }
  | {
      readonly type: "cloud";
      readonly organization: string;
      readonly hostname: string;
      /** The owner stack's workspace; it must share its state with the accessor's workspace. */
      readonly workspace: string;
    };

/** The names of the owner outputs an accessor stack reads. */
export interface OwnerOutputNames {
  readonly targetRoleArn: string;
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  /** The consumer's access point alias (the `accessors` form only). */
  readonly accessPointAlias?: string;
}

export interface OwnerStateReferenceProps {
  /** Where the owner's state is. */
  readonly source: OwnerStateSource;
  /**
   * Which outputs to read.
   * @default OWNER_OUTPUTS, the single form's
   */
  readonly outputs?: OwnerOutputNames;
}

/** The bucket owner outputs the accessor reads. */
export const OWNER_OUTPUTS = {
  targetRoleArn: "target_role_arn",
  bucketArn: "bucket_arn",
  kmsKeyArn: "kms_key_arn",
} as const;

/** One consumer's outputs in the owner stack (the `accessors` form): its name, snake_case, then what it is. */
export interface ConsumerOutputNames {
  readonly targetRoleArn: string;
  readonly accessPointArn: string;
  readonly accessPointAlias: string;
}

/**
 * The owner outputs of the consumer `name`, e.g. team_a_target_role_arn: each
 * consumer's stack reads only its own, so adding a consumer adds outputs and
 * changes none. Names hold no "_", so "team-a" and "team_a" cannot meet.
 */
export function consumerOutputNames(name: string): ConsumerOutputNames {
  const prefix = name.replace(/-/g, "_");
  return {
    targetRoleArn: `${prefix}_target_role_arn`,
    accessPointArn: `${prefix}_access_point_arn`,
    accessPointAlias: `${prefix}_access_point_alias`,
  };
}

/** The owner output that carries the target role ARN (the hand-off). */
export const TARGET_ROLE_ARN_OUTPUT = OWNER_OUTPUTS.targetRoleArn;

function remoteState(scope: Construct, source: OwnerStateSource): TerraformRemoteState {
  switch (source.type) {
    case "local":
      return new DataTerraformRemoteStateLocal(scope, "state", { path: source.path });
    case "s3":
      return new DataTerraformRemoteStateS3(scope, "state", {
        bucket: source.bucket,
        key: source.key,
        region: source.region,
        encrypt: true,
        profile: source.profile,
        assumeRole: source.roleArn === undefined ? undefined : { roleArn: source.roleArn },
      });
    case "cloud":
      return new DataTerraformRemoteState(scope, "state", {
        organization: source.organization,
        hostname: source.hostname,
        workspaces: new NamedRemoteWorkspace(source.workspace),
      });
  }
}

/**
 * The accessor's view of the bucket owner's Terraform state: an explicit
 * terraform_remote_state data source. The target role ARN travels through the
 * owner's state and outputs, never as a hard-coded string, and not through
 * cdktf's implicit cross-stack references (which invent their own outputs).
 */
export class OwnerStateReference extends Construct {
  /** The owner's `target_role_arn` output, as a Terraform reference. */
  public readonly targetRoleArn: string;
  /** The owner's `bucket_arn` output. */
  public readonly bucketArn: string;
  private readonly state: TerraformRemoteState;
  private readonly outputs: OwnerOutputNames;

  constructor(scope: Construct, id: string, props: OwnerStateReferenceProps) {
    super(scope, id);
    this.outputs = props.outputs ?? OWNER_OUTPUTS;
    this.state = nameElement(remoteState(this, props.source), id);
    this.targetRoleArn = this.state.getString(this.outputs.targetRoleArn);
    this.bucketArn = this.state.getString(this.outputs.bucketArn);
  }

  /** The owner's `kms_key_arn` output (only present for SSE-KMS buckets). */
  public get kmsKeyArn(): string {
    return this.state.getString(this.outputs.kmsKeyArn);
  }

  /** The consumer's access point alias output; undefined when the outputs name none (the single form). */
  public get accessPointAlias(): string | undefined {
    const name = this.outputs.accessPointAlias;
    return name === undefined ? undefined : this.state.getString(name);
  }
}
