import type { Finding, PolicyRule } from "../rule";

/**
 * No public IPv4 address unless explicitly asked for (then the construct
 * suppresses this rule with the reason). Leaving the attribute unset is not
 * enough: default-VPC subnets give instances a public IP on launch.
 */
export const ec2NoPublicIp: PolicyRule = {
  id: "ec2-no-public-ip",
  description: "EC2 instances set associate_public_ip_address = false",
  controls: { checkov: ["CKV_AWS_88"], securityHub: ["EC2.9"] },
  level: "error",
  check({ elements }) {
    return elements
      .ofType("aws_instance")
      .filter((instance) => instance.config.associate_public_ip_address !== false)
      .map((instance): Finding => ({
        construct: instance.construct,
        message:
          instance.config.associate_public_ip_address === true
            ? `${instance.address}: associate_public_ip_address is true; set it to false, or suppress this rule with the reason it needs one`
            : `${instance.address}: associate_public_ip_address is unset, and default-VPC subnets assign a public IP; set it to false`,
      }));
  },
};
