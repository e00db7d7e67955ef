/**
 * The AWS CLI profile the instance uses to chain from its own role to the
 * target role, and the commands a person runs to check it. Nothing here is
 * secret: the CLI gets the instance role's temporary credentials from the
 * instance metadata service (credential_source = Ec2InstanceMetadata) and
 * calls sts:AssumeRole itself, so there are no keys and no source_profile.
 */

export interface CliProfileProps {
  /** The profile's name, e.g. "cross-account-s3". */
  readonly profileName: string;
  /** The role to assume; may be a Terraform reference. */
  readonly targetRoleArn: string;
  /** The region the CLI talks to: the bucket's region. */
  readonly region: string;
  /** Session name, shown in the owner account's CloudTrail as assumed-role/<role>/<session>. */
  readonly sessionName: string;
  /**
   * The S3 access point the profile's role reaches the bucket through, named in a comment so a person on
   * the instance knows which name to use (the role's policies name the access point, not the bucket).
   * @default none: the role uses the bucket's own name
   */
  readonly accessPoint?: {
    /** The access point's ARN. */
    readonly arn: string;
    /** s3://<alias>/<prefix>: the alias stands in for a bucket name in the CLI and SDKs. */
    readonly url: string;
  };
}

/**
 * The session name for the chain: the instance role's name, which shows in the
 * owner account's CloudTrail. STS wants 2 to 64 of the same characters IAM role
 * names use, so a one-character role name gets "-session" added.
 */
export function roleSessionName(instanceRoleName: string): string {
  return instanceRoleName.length >= 2 ? instanceRoleName : `${instanceRoleName}-session`;
}

/** The `[profile …]` section of ~/.aws/config. */
export function cliProfileText(props: CliProfileProps): string {
  // The CLI reads comments only on lines of their own; inside the section, an earlier copy's removal takes them too.
  const accessPoint =
    props.accessPoint === undefined
      ? []
      : [
          `# The bucket is reached through S3 access point ${props.accessPoint.arn}:`,
          `# use ${props.accessPoint.url} (its alias stands in for the bucket name).`,
        ];
  return [
    `[profile ${props.profileName}]`,
    ...accessPoint,
    `role_arn = ${props.targetRoleArn}`,
    "credential_source = Ec2InstanceMetadata",
    `role_session_name = ${props.sessionName}`,
    `region = ${props.region}`,
    "",
  ].join("\n");
}

/**
 * The two commands that prove access works, run on the instance: who am I,
 * then list the bucket (or the key prefix). Without a profile (direct grant)
 * they use the instance role's own credentials. `bucketName` may be an access
 * point's alias, which the CLI takes wherever a bucket name goes.
 */
export function verifyCommands(profileName: string | undefined, bucketName: string, keyPrefix?: string): string[] {
  const withProfile = profileName === undefined ? "" : ` --profile ${profileName}`;
  return [
    `aws sts get-caller-identity${withProfile}`,
    `aws s3 ls s3://${bucketName}${keyPrefix === undefined ? "" : `/${keyPrefix}`}${withProfile}`,
  ];
}

/** The command that opens a Session Manager shell on the instance, run where the person is (not on the instance). */
export function sessionManagerCommand(instanceId: string, region: string): string {
  return `aws ssm start-session --target ${instanceId} --region ${region}`;
}

/**
 * Instance user data: writes the profile for root, ec2-user (the Amazon Linux
 * default user) and /etc/skel, so users created later get it too (Session
 * Manager's ssm-user is created at the first session), replacing an earlier
 * copy of the same profile so a re-run never duplicates it.
 */
export function cliProfileUserData(props: CliProfileProps): string {
  return [
    "#!/bin/bash",
    "# Written by cross-account-s3-access: an AWS CLI profile that chains from the",
    "# instance role to the bucket owner's target role. It holds no credentials.",
    "set -euo pipefail",
    "for home in /root /home/ec2-user /etc/skel; do",
    '  [ -d "$home" ] || continue',
    '  install -d -m 0700 "$home/.aws"',
    '  touch "$home/.aws/config"',
    // Drop an earlier copy: from its header up to (not including) the next section, so profiles after it survive.
    `  sed -i '/^\\[profile ${props.profileName}\\]$/,/^\\[/{/^\\[profile ${props.profileName}\\]$/d;/^\\[/!d;}' "$home/.aws/config"`,
    `  cat >> "$home/.aws/config" <<'PROFILE'`,
    cliProfileText(props) + "PROFILE",
    '  chown -R "$(stat -c %u:%g "$home")" "$home/.aws"',
    '  chmod 0600 "$home/.aws/config"',
    "done",
    "",
  ].join("\n");
}
