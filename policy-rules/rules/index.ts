/** Every policy rule, in the order they report. Add a rule: one file here, one line below, tests in __tests__/policy-rules/. */
import type { PolicyRule } from "../rule";
import { awsPolicyCharacters } from "./aws-policy-characters";
import { awsPolicySizeLimits } from "./aws-policy-size-limits";
import { ec2EncryptedRootVolume } from "./ec2-encrypted-root-volume";
import { ec2Imdsv2Required } from "./ec2-imdsv2-required";
import { ec2NoPublicIp } from "./ec2-no-public-ip";
import { iamAssumeRoleExactArn } from "./iam-assume-role-exact-arn";
import { iamCrossAccountTrustRestricted } from "./iam-cross-account-trust-restricted";
import { iamNoUncheckedManagedPolicies } from "./iam-no-unchecked-managed-policies";
import { iamNoUsersOrAccessKeys } from "./iam-no-users-or-access-keys";
import { iamPoliciesReadable } from "./iam-policies-readable";
import { iamNoWildcardActions } from "./iam-no-wildcard-actions";
import { iamTrustPolicyAssumeRoleOnly } from "./iam-trust-policy-assume-role-only";
import { s3BlockPublicAccess } from "./s3-block-public-access";
import { s3BucketOwnerEnforced } from "./s3-bucket-owner-enforced";
import { s3BucketPolicyNoPublicPrincipal } from "./s3-bucket-policy-no-public-principal";
import { s3BucketPolicyRequiresTls } from "./s3-bucket-policy-requires-tls";
import { s3DefaultEncryption } from "./s3-default-encryption";
import { s3NoForceDestroy } from "./s3-no-force-destroy";
import { s3VersioningEnabled } from "./s3-versioning-enabled";

export const ALL_RULES: readonly PolicyRule[] = [
  iamPoliciesReadable,
  awsPolicySizeLimits,
  awsPolicyCharacters,
  iamNoWildcardActions,
  iamAssumeRoleExactArn,
  iamTrustPolicyAssumeRoleOnly,
  iamCrossAccountTrustRestricted,
  iamNoUsersOrAccessKeys,
  iamNoUncheckedManagedPolicies,
  s3BucketPolicyNoPublicPrincipal,
  s3BucketPolicyRequiresTls,
  s3BlockPublicAccess,
  s3BucketOwnerEnforced,
  s3DefaultEncryption,
  s3VersioningEnabled,
  s3NoForceDestroy,
  ec2Imdsv2Required,
  ec2EncryptedRootVolume,
  ec2NoPublicIp,
];
