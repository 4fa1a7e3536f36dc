/**
 * The effective policy a scan runs with: defaults merged with the user's config.
 * Loaded and validated by engine/config.ts. Sources (trusted ranges, prefix thresholds) are judged
 * in one place, model/net.ts, when rules analyze the model; formats read only the datastore
 * catalogue extensions and, for access policies, the judge in model/access-policy.ts.
 */
import type { PortRange } from '../model/types.js';

export type Level = 'error' | 'warning' | 'note';
export type LevelSetting = Level | 'off';

export interface RuleSetting {
  level?: LevelSetting;
  options?: Record<string, unknown>;
}

interface ExtraDatastorePort {
  port: number;
  name: string;
}

interface ExtraDatastoreImage {
  /** Regular expression matched against the image reference (registry/name:tag). */
  pattern: string;
  name: string;
}

export interface Policy {
  /** Ports that may be reachable from the internet (default 443 only). */
  allowedPublicPorts: PortRange[];
  /** CIDRs counted as not-internet (office, VPN). */
  trustedSources: string[];
  /** A public IPv4 range with this prefix length or shorter counts as the internet. */
  publicPrefixThreshold: number;
  /** The same for IPv6. */
  publicPrefixThresholdIpv6: number;
  extraDatastorePorts: ExtraDatastorePort[];
  extraDatastoreImages: ExtraDatastoreImage[];
  rules: Record<string, RuleSetting>;
}

export function defaultPolicy(): Policy {
  return {
    allowedPublicPorts: [{ from: 443, to: 443 }],
    trustedSources: [],
    publicPrefixThreshold: 8,
    publicPrefixThresholdIpv6: 32,
    extraDatastorePorts: [],
    extraDatastoreImages: [],
    rules: {},
  };
}
