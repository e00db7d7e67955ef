import { listOf } from "../../access-report/policy-json";
import type { Finding, PolicyRule } from "../rule";
import { block } from "../terraform-blocks";

/** The instance's volumes are encrypted at rest, the root volume included. */
export const ec2EncryptedRootVolume: PolicyRule = {
  id: "ec2-encrypted-root-volume",
  description: "EC2 root (and attached EBS) volumes are encrypted",
  controls: { checkov: ["CKV_AWS_8"], securityHub: ["EC2.3"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const instance of elements.ofType("aws_instance")) {
      const root = block(instance.config.root_block_device);
      if (root?.encrypted !== true) {
        findings.push({
          construct: instance.construct,
          message: `${instance.address}: root_block_device.encrypted is ${JSON.stringify(root?.encrypted ?? "unset")}; set root_block_device { encrypted = true }`,
        });
      }
      listOf(instance.config.ebs_block_device).forEach((device, index) => {
        if (block(device)?.encrypted !== true) {
          findings.push({
            construct: instance.construct,
            message: `${instance.address}: ebs_block_device[${index}] is not encrypted; set encrypted = true`,
          });
        }
      });
    }
    return findings;
  },
};
