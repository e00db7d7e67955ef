import type { Finding, PolicyRule } from "../rule";
import { block } from "../terraform-blocks";

/** Instances accept only IMDSv2 session tokens, which blunts SSRF theft of the role's credentials. */
export const ec2Imdsv2Required: PolicyRule = {
  id: "ec2-imdsv2-required",
  description: 'EC2 instance metadata requires IMDSv2 (http_tokens = "required")',
  controls: { checkov: ["CKV_AWS_79"], securityHub: ["EC2.8"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const instance of [...elements.ofType("aws_instance"), ...elements.ofType("aws_launch_template")]) {
      const options = block(instance.config.metadata_options);
      if (options?.http_endpoint === "disabled" || options?.http_tokens === "required") continue;
      findings.push({
        construct: instance.construct,
        message: `${instance.address}: metadata_options.http_tokens is ${JSON.stringify(options?.http_tokens ?? "unset")}; set metadata_options { http_tokens = "required" }`,
      });
    }
    return findings;
  },
};
