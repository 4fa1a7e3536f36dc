/**
 * The config `portwall init` writes: every setting present or shown commented out, each with
 * the reason to change it. A test loads it through loadConfig, so it always validates.
 */
export const STARTER_CONFIG = `# yaml-language-server: $schema=./node_modules/portwall/schemas/config.schema.json
# portwall policy, reviewed like code. Reference: docs/configuration.md
# (also found from sub-folders up to the repository root; "portwall --config FILE" overrides).

# Ports that may be reachable from the internet. Everything else reachable from the internet
# is PW001 (or PW002 for datastores). Numbers or "from-to" ranges.
allowedPublicPorts:
  - 443
  # - 80            # e.g. the plain-HTTP redirect to HTTPS

# Sources counted as not-internet (office, VPN egress), as CIDRs.
trustedSources: []
#  - 203.0.113.0/24

# A public IPv4 source range this broad (prefix length <= N) counts as the internet.
publicPrefixThreshold: 8
publicPrefixThresholdIpv6: 32

# Your own datastores and admin planes, in addition to the built-in catalogue.
extraDatastorePorts: []
#  - { port: 8529, name: ArangoDB }
extraDatastoreImages: []
#  - { pattern: "^registry\\\\.example\\\\.com/arangodb", name: ArangoDB }

# Rule levels by id or name: error, warning, note or off; or { level, options }.
rules: {}
#  PW001: warning
#  host-network: off

# Different levels for some paths (globs relative to this file). Later entries win.
overrides: []
#  - files: ["dev/**", "**/docker-compose.override.yml"]
#    rules: { PW001: note, PW002: warning }

# Files never scanned (globs relative to this file).
ignore: []
#  - "examples/**"

# Accepted findings (written by "portwall baseline"); default: portwall-baseline.json if present.
# baseline: portwall-baseline.json

# Declarative rules (data only, schemas/rule.schema.json): files or inline rules.
customRules: []
#  - ./policy/no-public-debug-ports.yml

# JavaScript rule modules or packages. They run code: only list modules you trust.
plugins: []
#  - ./policy/internal-images.mjs
`;
