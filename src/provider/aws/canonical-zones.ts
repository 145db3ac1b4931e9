/**
 * The hosted zone ids of AWS services that Route53 alias records point at
 * (AWS General Reference: ELB, API Gateway, S3 website endpoints, CloudFront,
 * Global Accelerator). A CNAME to one of these hostnames becomes an alias
 * record unless --aws-prefer-cname. Kept per region so a new region is one line.
 */

interface RegionZones {
  /** Application and Classic load balancers: `<name>.<region>.elb.amazonaws.com`. */
  readonly alb?: string;
  /** Network load balancers: `<name>.elb.<region>.amazonaws.com`. */
  readonly nlb?: string;
  /** API Gateway regional endpoints: `<id>.execute-api.<region>.amazonaws.com`. */
  readonly apiGateway?: string;
  /** S3 website endpoints: `s3-website-<region>` or `s3-website.<region>`. */
  readonly s3Website?: string;
  /** VPC endpoint services (PrivateLink): `<id>.<region>.vpce.amazonaws.com`. */
  readonly vpce?: string;
}

const REGIONS: Readonly<Record<string, RegionZones>> = {
  'us-east-1': { alb: 'Z35SXDOTRQ7X7K', nlb: 'Z26RNL4JYFTOTI', apiGateway: 'Z1UJRXOUMOOFQ8', s3Website: 'Z3AQBSTGFYJSTF', vpce: 'Z7HUB22UULQXV' },
  'us-east-2': { alb: 'Z3AADJGX6KTTL2', nlb: 'ZLMOA37VPKANP', apiGateway: 'ZOJJZC49E0EPZ', s3Website: 'Z2O1EMRO9K5GLX', vpce: 'ZC8PG0KIFKBRI' },
  'us-west-1': { alb: 'Z368ELLRRE2KJ0', nlb: 'Z24FKFUX50B4VW', apiGateway: 'Z2MUQ32089INYE', s3Website: 'Z2F56UZL2M1ACD', vpce: 'Z12I86A8N7VCZO' },
  'us-west-2': { alb: 'Z1H1FL5HABSF5', nlb: 'Z18D5FSROUN65G', apiGateway: 'Z2OJLYMUO9EFXC', s3Website: 'Z3BJ6K6RIION7M', vpce: 'Z1YSA3EXCYUU9Z' },
  'ca-central-1': { alb: 'ZQSVJUPU6J1EY', nlb: 'Z2EPGBW3API2WT', apiGateway: 'Z19DQILCV0OWEC', s3Website: 'Z1QDHH18159H29', vpce: 'ZRCXCF510Y6P9' },
  'ca-west-1': { alb: 'Z06473681N0SF6OS049SD', nlb: 'Z02754302KBB00W2LKWZ9' },
  'mx-central-1': { alb: 'Z023552324OKD1BB28BH5', nlb: 'Z02031231H3ID6HYJ9A7U' },
  'sa-east-1': { alb: 'Z2P70J7HTTTPLU', nlb: 'ZTK26PT1VY4CU', apiGateway: 'ZCMLWB8V5SYIT', s3Website: 'Z7KQH4QJS55SO', vpce: 'Z2LXUWEVLCVZIB' },
  'eu-central-1': { alb: 'Z215JYRZR1TBD5', nlb: 'Z3F0SRJ5LGBH90', apiGateway: 'Z1U9ULNL0V5AJ3', s3Website: 'Z21DNDUVLTQW6Q', vpce: 'Z273ZU8SZ5RJPC' },
  'eu-central-2': { alb: 'Z06391101F2ZOEP8P5EB3', nlb: 'Z02239872DOALSIDCX66S', vpce: 'Z045369019J4FUQ4S272E' },
  'eu-west-1': { alb: 'Z32O12XQLNTSW2', nlb: 'Z2IFOLAFXWLO4F', apiGateway: 'ZLY8HYME6SFDD', s3Website: 'Z1BKCTXD74EZPE', vpce: 'Z38GZ743OKFT7T' },
  'eu-west-2': { alb: 'ZHURV8PSTC4K8', nlb: 'ZD4D7Y8KGAS4G', apiGateway: 'ZJ5UAJN8Y3Z2Q', s3Website: 'Z3GKZC51ZF0DB4', vpce: 'Z7K1066E3PUKB' },
  'eu-west-3': { alb: 'Z3Q77PNBQS71R4', nlb: 'Z1CMS0P5QUZ6D5', apiGateway: 'Z3KY65QIEKYHQQ', s3Website: 'Z3R1K369G5AVDG', vpce: 'Z1DWHTMFP0WECP' },
  'eu-north-1': { alb: 'Z23TAZ6LKFMNIO', nlb: 'Z1UDT6IFJ4EJM', apiGateway: 'Z3UWIKFBOOGXPP', s3Website: 'Z3BAZG2TWCNX0D', vpce: 'Z3OWWK6JFDEDGC' },
  'eu-south-1': { alb: 'Z3ULH7SSC9OV64', nlb: 'Z23146JA1KNAFP', apiGateway: 'Z3BT4WSQ9TDYZV', vpce: 'Z2A5FDNRLY7KZG' },
  'eu-south-2': { alb: 'Z0956581394HF5D5LXGAP', nlb: 'Z1011216NVTVYADP1SSV', apiGateway: 'Z02499852UI5HEQ5JVWX3', vpce: 'Z014396544HENR57XQCJ' },
  'ap-east-1': { alb: 'Z3DQVH9N71FHZ0', nlb: 'Z12Y7K3UBGUAD1', apiGateway: 'Z3FD1VL90ND7K5', s3Website: 'ZNB98KWMFR0R6', vpce: 'Z2LIHJ7PKBEMWN' },
  'ap-south-1': { alb: 'ZP97RAFLXTNZK', nlb: 'ZVDDRBQ08TROA', apiGateway: 'Z3VO1THU9YC4UR', s3Website: 'Z11RGJOFQNVJUP', vpce: 'Z2KVTB3ZLFM7JR' },
  'ap-south-2': { alb: 'Z0173938T07WNTVAEPZN', nlb: 'Z0711778386UTO08407HT', s3Website: 'Z02976202B4EZMXIPMXF7', vpce: 'Z0952991RWSF5AHIQDIY' },
  'ap-northeast-1': { alb: 'Z14GRHDCWA56QT', nlb: 'Z31USIVHYNEOWT', apiGateway: 'Z1YSHQZHG15GKL', s3Website: 'Z2M4EHUR26P7ZW', vpce: 'Z2E726K9Y6RL4W' },
  'ap-northeast-2': { alb: 'ZWKZPGTI48KDX', nlb: 'ZIBE1TIR4HY56', apiGateway: 'Z20JF4UZKIW1U8', s3Website: 'Z3W03O7B5YMIYP', vpce: 'Z27UANNT0PRK1T' },
  'ap-northeast-3': { alb: 'Z5LXEXXYW11ES', nlb: 'Z1GWIQ4HH19I5X', s3Website: 'Z2YQB5RD63NC85', vpce: 'Z376B5OMM2JZL2' },
  'ap-southeast-1': { alb: 'Z1LMS91P8CMLE5', nlb: 'ZKVM4W9LS7TM', apiGateway: 'ZL327KTPIQFUL', s3Website: 'Z3O0J2DXBE1FTB', vpce: 'Z18LLCSTV4NVNL' },
  'ap-southeast-2': { alb: 'Z1GM3OXH4ZPM65', nlb: 'ZCT6FZBF4DROD', apiGateway: 'Z2RPCDW04V8134', s3Website: 'Z1WCIGYICN2BYD', vpce: 'ZDK2GCRPAFKGO' },
  'ap-southeast-3': { alb: 'Z08888821HLRG5A9ZRTER', nlb: 'Z01971771FYVNCOVWJU1G', vpce: 'Z03881013RZ9BYYZO8N5W' },
  'ap-southeast-4': { alb: 'Z09517862IB2WZLPXG76F', nlb: 'Z01156963G8MIIL7X90IV', vpce: 'Z07508191CO1RNBX3X3AU' },
  'ap-southeast-5': { alb: 'Z06010284QMVVW7WO5J', nlb: 'Z026317210H9ACVTRO6FB' },
  'ap-southeast-7': { alb: 'Z0390008CMBRTHFGWBCB', nlb: 'Z054363131YWATEMWRG5L' },
  'me-south-1': { alb: 'ZS929ML54UICD', nlb: 'Z3QSRYVP46NYYV', apiGateway: 'Z20ZBPC0SS8806', vpce: 'Z3B95P3VBGEQGY' },
  'me-central-1': { alb: 'Z08230872XQRWHG2XF6I', nlb: 'Z00282643NTTLPANJJG2P', apiGateway: 'Z08780021BKYYY8U0YHTV', vpce: 'Z07122992YCEUCB9A9570' },
  'il-central-1': { alb: 'Z09170902867EHPV2DABU', nlb: 'Z0313266YDI6ZRHTGQY4' },
  'af-south-1': { alb: 'Z268VQBMOI5EKX', nlb: 'Z203XCE67M25HM', apiGateway: 'Z2DHW2332DAMTN', s3Website: 'Z83WF9RJE8B12', vpce: 'Z09302161J80N9A7UTP7U' },
  // GovCloud (partition aws-us-gov).
  'us-gov-west-1': { alb: 'Z33AYJ8TM3BH4J', nlb: 'ZMG1MZ2THAWF1', apiGateway: 'Z1K6XKP9SAGWDV', s3Website: 'Z31GFT0UA1I2HV', vpce: 'Z12529ZODG2B6H' },
  'us-gov-east-1': { alb: 'Z166TLBEWOO7G0', nlb: 'Z1ZSMQQ6Q24QQ8', apiGateway: 'Z3SE9ATJYCRCZJ', s3Website: 'Z2NIFVYYW2VKV1', vpce: 'Z2MU5TEIGO9WXB' },
  // China (partition aws-cn): hostnames end in amazonaws.com.cn.
  'cn-north-1': { alb: 'Z1GDH35T77C1KE', nlb: 'Z3QFB96KMJ7ED6' },
  'cn-northwest-1': { alb: 'ZM7IZAIOVVDZF', nlb: 'ZQEIKTCZ8352D' },
};

/** Services that are global: CloudFront (and edge-optimised API Gateway), Global Accelerator. */
const GLOBAL: Readonly<Record<string, string>> = {
  'cloudfront.net': 'Z2FDTNDATAQYW2',
  'awsglobalaccelerator.com': 'Z2BJ6XQ5FK7U4H',
};

/** Hostname suffix → hosted zone id, built once from the tables above. */
const SUFFIXES: ReadonlyMap<string, string> = buildSuffixes();

function buildSuffixes(): Map<string, string> {
  const out = new Map<string, string>(Object.entries(GLOBAL));
  for (const [region, z] of Object.entries(REGIONS)) {
    const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    if (z.alb !== undefined) out.set(`${region}.elb.${domain}`, z.alb);
    if (z.nlb !== undefined) out.set(`elb.${region}.${domain}`, z.nlb);
    if (z.apiGateway !== undefined) out.set(`execute-api.${region}.${domain}`, z.apiGateway);
    if (z.vpce !== undefined) out.set(`${region}.vpce.${domain}`, z.vpce);
    if (z.s3Website !== undefined) {
      out.set(`s3-website-${region}.${domain}`, z.s3Website);
      out.set(`s3-website.${region}.${domain}`, z.s3Website);
    }
  }
  return out;
}

/** The hosted zone id of the AWS service a hostname belongs to, or undefined. */
export function canonicalHostedZone(hostname: string): string | undefined {
  const labels = hostname.toLowerCase().replace(/\.$/, '').split('.');
  // Longest suffix first; at most 6 labels deep (execute-api.<region>.amazonaws.com.cn).
  for (let i = 0; i < labels.length - 1; i++) {
    const zone = SUFFIXES.get(labels.slice(i).join('.'));
    if (zone !== undefined) return zone;
  }
  return undefined;
}

/** True for an AWS service hostname extdns has no zone id for (a region newer than this table). */
export function looksLikeUnknownAwsService(hostname: string): boolean {
  return /\.amazonaws\.com(\.cn)?\.?$/i.test(hostname) && canonicalHostedZone(hostname) === undefined;
}
