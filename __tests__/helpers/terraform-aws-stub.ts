/**
 * A stand-in for the few AWS API calls `terraform plan` makes for the two
 * stacks, on loopback, so a plan runs with no AWS account and no network:
 * STS GetCallerIdentity (the provider's allowed_account_ids check), the EC2
 * lookups of the default subnet, and SSM GetParameter (the AMI). Every other
 * call is answered with an error and recorded, so a test can say exactly
 * which call a plan needed.
 *
 * The account is chosen by the access key in the request's SigV4 credential
 * scope, as STS answers for whoever signs; signatures are not checked.
 */
import { randomUUID } from "node:crypto";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One availability zone of the stub's region. */
export interface StubZone {
  readonly name: string;
  readonly id: string;
  /** "opt-in-not-required" for standard zones; Local and Wavelength Zones are "opted-in" or "not-opted-in". */
  readonly optInStatus: string;
  readonly zoneType: "availability-zone" | "local-zone" | "wavelength-zone";
  /** Instance types offered in this zone. */
  readonly instanceTypes: readonly string[];
  /** The default VPC's default subnet in this zone; none in Local and Wavelength Zones. */
  readonly defaultSubnetId?: string;
}

export interface AwsStubOptions {
  /** Access key id → the account id STS reports for it. */
  readonly accounts: Readonly<Record<string, string>>;
  /** The region the EC2 answers describe. */
  readonly region: string;
  readonly zones: readonly StubZone[];
  /** SSM parameter name → value (e.g. the public AMI parameters). */
  readonly ssmParameters: Readonly<Record<string, string>>;
}

/** A request the stub received. */
export interface StubCall {
  /** The SigV4 service name (sts, ec2, ssm, …) or "unsigned". */
  readonly service: string;
  /** The Query API Action or the JSON protocol's X-Amz-Target. */
  readonly action: string;
  readonly accessKeyId?: string;
  /** Why it was not answered, for unanswered calls. */
  readonly reason?: string;
}

export interface AwsStub {
  /** `http://127.0.0.1:<port>`, for the provider's `endpoints`. */
  readonly endpoint: string;
  /** Every call, in order. */
  readonly calls: readonly StubCall[];
  /** Calls answered with an error because the stub does not know them. */
  readonly unanswered: readonly StubCall[];
  readonly close: () => Promise<void>;
}

const EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

function xmlEscape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `<tag>value</tag>` for each entry, values escaped. */
function xmlFields(fields: Readonly<Record<string, string | number | boolean>>): string {
  return Object.entries(fields)
    .map(([tag, value]) => `<${tag}>${xmlEscape(String(value))}</${tag}>`)
    .join("");
}

/** The EC2 Query API's filters: Filter.N.Name and Filter.N.Value.M. */
function ec2Filters(params: URLSearchParams): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const [key, name] of params) {
    const index = /^Filter\.(\d+)\.Name$/.exec(key)?.[1];
    if (index === undefined) continue;
    const values = [...params].filter(([k]) => k.startsWith(`Filter.${index}.Value.`)).map(([, v]) => v);
    filters.set(name, values);
  }
  return filters;
}

/** Thrown for a request the stub cannot answer faithfully (e.g. a filter it does not implement). */
class Unanswerable extends Error {}

/** Keeps the items whose field named by each filter holds one of the filter's values. */
function applyFilters<T>(
  items: readonly T[],
  filters: Map<string, string[]>,
  fields: Readonly<Record<string, (item: T) => string>>,
): T[] {
  for (const name of filters.keys()) {
    if (fields[name] === undefined) throw new Unanswerable(`filter ${name} is not implemented by the stub`);
  }
  return items.filter((item) => [...filters].every(([name, values]) => values.includes(fields[name]!(item))));
}

function ec2Response(action: string, body: string): string {
  const requestId = `<requestId>${randomUUID()}</requestId>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NS}">${requestId}${body}</${action}Response>`;
}

/**
 * An error in the shape the call's protocol uses (EC2 Query, JSON, or the other Query APIs), as a 400 with
 * a code the SDKs do not retry, so the plan fails at once and names the call.
 */
function errorResponse(call: StubCall, message: string): [number, string, string] {
  const code = "InvalidAction";
  if (call.service === "ec2") {
    const error = `<Errors><Error>${xmlFields({ Code: code, Message: message })}</Error></Errors>`;
    return [400, "text/xml", `<Response>${error}<RequestID>${randomUUID()}</RequestID></Response>`];
  }
  if (call.action.includes(".")) {
    return [400, "application/x-amz-json-1.1", JSON.stringify({ __type: code, message })];
  }
  const error = `<Error>${xmlFields({ Type: "Sender", Code: code, Message: message })}</Error>`;
  return [400, "text/xml", `<ErrorResponse>${error}<RequestId>${randomUUID()}</RequestId></ErrorResponse>`];
}

/** Starts the stub on an ephemeral loopback port. */
export async function startAwsStub(options: AwsStubOptions): Promise<AwsStub> {
  const calls: StubCall[] = [];
  const unanswered: StubCall[] = [];

  const zoneFields: Record<string, (zone: StubZone) => string> = {
    "opt-in-status": (z) => z.optInStatus,
    state: () => "available",
    "zone-name": (z) => z.name,
    "zone-id": (z) => z.id,
    "zone-type": (z) => z.zoneType,
    "region-name": () => options.region,
  };

  const ec2 = (action: string, params: URLSearchParams, accountId: string): string | undefined => {
    const filters = ec2Filters(params);
    switch (action) {
      case "DescribeAvailabilityZones": {
        // Without AllAvailabilityZones, EC2 lists only the zones the account has opted in to.
        const listed =
          params.get("AllAvailabilityZones") === "true"
            ? options.zones
            : options.zones.filter((z) => z.optInStatus !== "not-opted-in");
        const items = applyFilters(listed, filters, zoneFields).map(
          (z) =>
            `<item>${xmlFields({
              zoneName: z.name,
              zoneId: z.id,
              zoneState: "available",
              regionName: options.region,
              optInStatus: z.optInStatus,
              zoneType: z.zoneType,
              groupName: options.region,
              networkBorderGroup: options.region,
            })}<messageSet/></item>`,
        );
        return ec2Response(action, `<availabilityZoneInfo>${items.join("")}</availabilityZoneInfo>`);
      }
      case "DescribeInstanceTypeOfferings": {
        const locationType = params.get("LocationType") ?? "region";
        if (locationType !== "availability-zone") throw new Unanswerable(`LocationType ${locationType}`);
        const offerings = options.zones.flatMap((z) =>
          z.instanceTypes.map((instanceType) => ({ instanceType, location: z.name })),
        );
        const items = applyFilters(offerings, filters, {
          "instance-type": (o) => o.instanceType,
          location: (o) => o.location,
        }).map((o) => `<item>${xmlFields({ ...o, locationType })}</item>`);
        return ec2Response(action, `<instanceTypeOfferingSet>${items.join("")}</instanceTypeOfferingSet>`);
      }
      case "DescribeSubnets": {
        const subnets = options.zones.flatMap((z) =>
          z.defaultSubnetId === undefined ? [] : [{ zone: z, subnetId: z.defaultSubnetId }],
        );
        // EC2 takes both spellings of these filters; the provider sends the camel-case ones.
        const items = applyFilters(subnets, filters, {
          "availability-zone": (s) => s.zone.name,
          availabilityZone: (s) => s.zone.name,
          "default-for-az": () => "true",
          defaultForAz: () => "true",
          "subnet-id": (s) => s.subnetId,
        }).map(
          (s, i) =>
            `<item>${xmlFields({
              subnetId: s.subnetId,
              subnetArn: `arn:aws:ec2:${options.region}:${accountId}:subnet/${s.subnetId}`,
              state: "available",
              vpcId: "vpc-0defa17c0ffee0001",
              ownerId: accountId,
              cidrBlock: `172.31.${i * 16}.0/20`,
              availableIpAddressCount: 4091,
              availabilityZone: s.zone.name,
              availabilityZoneId: s.zone.id,
              defaultForAz: true,
              mapPublicIpOnLaunch: true,
              mapCustomerOwnedIpOnLaunch: false,
              assignIpv6AddressOnCreation: false,
              enableDns64: false,
              ipv6Native: false,
            })}<ipv6CidrBlockAssociationSet/><tagSet/><privateDnsNameOptionsOnLaunch>${xmlFields({
              hostnameType: "ip-name",
              enableResourceNameDnsARecord: false,
              enableResourceNameDnsAAAARecord: false,
            })}</privateDnsNameOptionsOnLaunch></item>`,
        );
        return ec2Response(action, `<subnetSet>${items.join("")}</subnetSet>`);
      }
      default:
        return undefined;
    }
  };

  const answer = (call: StubCall, params: URLSearchParams, json: unknown): [number, string, string] | undefined => {
    const accountId = call.accessKeyId === undefined ? undefined : options.accounts[call.accessKeyId];
    if (accountId === undefined) return undefined;
    if (call.service === "sts" && call.action === "GetCallerIdentity") {
      const result = xmlFields({
        Arn: `arn:aws:iam::${accountId}:user/terraform-plan-test`,
        UserId: "AIDASTUBPLANTEST0001",
        Account: accountId,
      });
      const metadata = `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`;
      const body = `<GetCallerIdentityResult>${result}</GetCallerIdentityResult>${metadata}`;
      return [200, "text/xml", `<GetCallerIdentityResponse xmlns="${STS_NS}">${body}</GetCallerIdentityResponse>`];
    }
    if (call.service === "ec2") {
      const body = ec2(call.action, params, accountId);
      return body === undefined ? undefined : [200, "text/xml;charset=UTF-8", body];
    }
    if (call.service === "ssm" && call.action === "AmazonSSM.GetParameter") {
      const name = (json as { Name?: string }).Name ?? "";
      const value = options.ssmParameters[name];
      if (value === undefined) {
        return [400, "application/x-amz-json-1.1", JSON.stringify({ __type: "ParameterNotFound", message: name })];
      }
      const parameter = {
        Name: name,
        Type: "String",
        Value: value,
        Version: 1,
        DataType: name.startsWith("/aws/service/ami-") ? "aws:ec2:image" : "text",
        ARN: `arn:aws:ssm:${options.region}::parameter${name}`,
        LastModifiedDate: 1_700_000_000,
      };
      return [200, "application/x-amz-json-1.1", JSON.stringify({ Parameter: parameter })];
    }
    return undefined;
  };

  const handle = (request: IncomingMessage, response: ServerResponse, body: string): void => {
    const scope = /Credential=([^/]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? "");
    const target = request.headers["x-amz-target"];
    const params = new URLSearchParams(
      request.headers["content-type"]?.includes("x-www-form-urlencoded") === true
        ? body
        : (request.url ?? "").split("?")[1],
    );
    const call: StubCall = {
      service: scope?.[2] ?? "unsigned",
      action: typeof target === "string" ? target : (params.get("Action") ?? `${request.method} ${request.url}`),
      accessKeyId: scope?.[1],
    };
    calls.push(call);
    let answered: [number, string, string] | undefined;
    let reason = "not implemented by the stub";
    try {
      answered = answer(call, params, typeof target === "string" && body !== "" ? JSON.parse(body) : {});
      if (call.accessKeyId === undefined || options.accounts[call.accessKeyId] === undefined) {
        reason = `unknown access key ${call.accessKeyId ?? "(unsigned)"}`;
      }
    } catch (error) {
      if (!(error instanceof Unanswerable)) throw error;
      reason = error.message;
    }
    if (answered === undefined) {
      unanswered.push({ ...call, reason });
      process.stderr.write(`AWS stub: no answer for ${call.service} ${call.action} (${reason})\n`);
      answered = errorResponse(call, `stub: ${call.service} ${call.action}: ${reason}`);
    }
    const [status, contentType, text] = answered;
    response.writeHead(status, { "content-type": contentType, "x-amzn-requestid": randomUUID() });
    response.end(text);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => handle(request, response, Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    unanswered,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
