/**
 * Cloud JSON near misses for the survivors of a full mutation run over
 * src/formats/cloud-json/{azure,gcloud}.ts (issue #18): single-rule rule lists, accesses that
 * are neither Allow nor Deny, deny destinations, split pieces and their numbered subjects,
 * missing/inverted/named port ranges, gcloud target tags, default priority, networks, entries
 * without a protocol, several entries per rule, protocol all and ICMP. Real parser, adapter and
 * rules; every finding (rule, file, line, column, message, subjects, related) and notification.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

type Result = Awaited<ReturnType<typeof lintTree>>;
const judged = (result: Result) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, subjects: f.subjects, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }));
const lint = async (text: string) => lintTree({ 'main.json': text });
const notices = (result: Result) => result.notifications.map((n) => n.message);

describe("az network nsg output", () => {
  it("`az network nsg rule list` with a single rule is a rule list: PW002 named by the NSG of its id", async () => {
    const result = await lint(`[
  {
    "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg1/securityRules/redis",
    "name": "redis",
    "direction": "Inbound",
    "access": "Allow",
    "priority": 100,
    "protocol": "Tcp",
    "sourceAddressPrefix": "*",
    "destinationPortRange": "6379",
    "destinationAddressPrefix": "*"
  }
]
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.json", "line": 9, "column": 28, "endLine": 9, "endColumn": 31, "message": "network security group nsg1 rule redis exposes Redis 6379 on port 6379/tcp to the internet (source: *)", "subjects": ["cloud-json:main.json:nsg1:redis"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an access that is neither Allow nor Deny is reported and closes nothing", async () => {
    const result = await lint(`{
  "name": "nsg1",
  "type": "Microsoft.Network/networkSecurityGroups",
  "properties": {
    "securityRules": [
      {
        "name": "audit",
        "properties": {
          "direction": "Inbound",
          "sourceAddressPrefix": "*",
          "protocol": "Tcp",
          "destinationPortRange": "6379",
          "destinationAddressPrefix": "*",
          "access": "Audit",
          "priority": 100
        }
      },
      {
        "name": "allow",
        "properties": {
          "direction": "Inbound",
          "sourceAddressPrefix": "*",
          "protocol": "Tcp",
          "destinationPortRange": "6379",
          "destinationAddressPrefix": "*",
          "access": "Allow",
          "priority": 200
        }
      }
    ]
  }
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.json", "line": 22, "column": 34, "endLine": 22, "endColumn": 37, "message": "network security group nsg1 rule allow exposes Redis 6379 on port 6379/tcp to the internet (source: *)", "subjects": ["cloud-json:main.json:nsg1:allow"], "related": []}
    ]);
    expect(notices(result)).toEqual(["main.json: 1 entry could not be judged and was not checked: line 6 (access \"audit\" is neither Allow nor Deny)"]);
  });

  it("a rule without access is reported as access \"\"; the other rules are still judged", async () => {
    const result = await lint(`{
  "name": "nsg1",
  "type": "Microsoft.Network/networkSecurityGroups",
  "properties": {
    "securityRules": [
      {
        "name": "noaccess",
        "properties": {
          "direction": "Inbound",
          "sourceAddressPrefix": "*",
          "protocol": "Tcp",
          "destinationPortRange": "6379",
          "destinationAddressPrefix": "*",
          "priority": 100
        }
      },
      {
        "name": "allow",
        "properties": {
          "direction": "Inbound",
          "sourceAddressPrefix": "*",
          "protocol": "Tcp",
          "destinationPortRange": "6380",
          "destinationAddressPrefix": "*",
          "access": "Allow",
          "priority": 300
        }
      }
    ]
  }
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW001", "file": "main.json", "line": 21, "column": 34, "endLine": 21, "endColumn": 37, "message": "network security group nsg1 rule allow exposes port 6380/tcp to the internet (source: *); only 443 may be public", "subjects": ["cloud-json:main.json:nsg1:allow"], "related": []}
    ]);
    expect(notices(result)).toEqual(["main.json: 1 entry could not be judged and was not checked: line 6 (access \"\" is neither Allow nor Deny)"]);
  });

  it("a deny for destination \"*\" closes an allow for destinationAddressPrefixes [10.0.0.4]", async () => {
    const result = await lint(`{
  "name": "nsg1",
  "type": "Microsoft.Network/networkSecurityGroups",
  "properties": {
    "securityRules": [
      {
        "name": "deny",
        "properties": {
          "direction": "Inbound",
          "sourceAddressPrefix": "*",
          "protocol": "Tcp",
          "destinationPortRange": "6379",
          "destinationAddressPrefix": "*",
          "access": "Deny",
          "priority": 100
        }
      },
      {
        "name": "allow",
        "properties": {
          "direction": "Inbound",
          "sourceAddressPrefix": "*",
          "protocol": "Tcp",
          "destinationPortRange": "6379",
          "access": "Allow",
          "priority": 200,
          "destinationAddressPrefixes": [
            "10.0.0.4"
          ]
        }
      }
    ]
  }
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("an allow split by an IPv4 deny on 22: one finding per piece, subjects numbered :0 and :1", async () => {
    const result = await lint(`{
  "name": "nsg1",
  "type": "Microsoft.Network/networkSecurityGroups",
  "properties": {
    "securityRules": [
      {
        "name": "deny-v4",
        "properties": {
          "direction": "Inbound",
          "sourceAddressPrefix": "0.0.0.0/0",
          "protocol": "Tcp",
          "destinationPortRange": "22",
          "destinationAddressPrefix": "*",
          "access": "Deny",
          "priority": 100
        }
      },
      {
        "name": "allow-all",
        "properties": {
          "direction": "Inbound",
          "protocol": "Tcp",
          "destinationPortRange": "*",
          "destinationAddressPrefix": "*",
          "access": "Allow",
          "priority": 200,
          "sourceAddressPrefixes": [
            "0.0.0.0/0",
            "::/0"
          ]
        }
      }
    ]
  }
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.json", "line": 28, "column": 13, "endLine": 28, "endColumn": 24, "message": "network security group nsg1 rule allow-all exposes SQL Server 1433, Oracle 1521, ZooKeeper 2181 and 26 more datastore ports on ports 0-21, 23-65535/tcp to the internet (source: 0.0.0.0/0)", "subjects": ["cloud-json:main.json:nsg1:allow-all:0"], "related": []},
      {"ruleId": "PW007", "file": "main.json", "line": 29, "column": 13, "endLine": 29, "endColumn": 19, "message": "network security group nsg1 rule allow-all allows all ports (tcp) from the internet (source: ::/0)", "subjects": ["cloud-json:main.json:nsg1:allow-all:1"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a rule without destinationPortRange is PW010 saying so", async () => {
    const result = await lint(`{
  "name": "nsg1",
  "type": "Microsoft.Network/networkSecurityGroups",
  "properties": {
    "securityRules": [
      {
        "name": "noport",
        "properties": {
          "direction": "Inbound",
          "sourceAddressPrefix": "*",
          "protocol": "Tcp",
          "destinationAddressPrefix": "*",
          "access": "Allow",
          "priority": 100
        }
      }
    ]
  }
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.json", "line": 10, "column": 34, "endLine": 10, "endColumn": 37, "message": "network security group nsg1 rule noport opens unresolved ports (destinationPortRange is not set) to the internet (source: *)", "subjects": ["cloud-json:main.json:nsg1:noport"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an inverted destination port range is PW010, never swapped", async () => {
    const result = await lint(`{
  "name": "nsg1",
  "type": "Microsoft.Network/networkSecurityGroups",
  "properties": {
    "securityRules": [
      {
        "name": "inverted",
        "properties": {
          "direction": "Inbound",
          "sourceAddressPrefix": "*",
          "protocol": "Tcp",
          "destinationPortRange": "6380-6379",
          "destinationAddressPrefix": "*",
          "access": "Allow",
          "priority": 100
        }
      }
    ]
  }
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.json", "line": 10, "column": 34, "endLine": 10, "endColumn": 37, "message": "network security group nsg1 rule inverted opens unresolved ports (port range 6380-6379 is inverted: 6380 is above 6379) to the internet (source: *)", "subjects": ["cloud-json:main.json:nsg1:inverted"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a destination port range that is a name is PW010 quoting it", async () => {
    const result = await lint(`{
  "name": "nsg1",
  "type": "Microsoft.Network/networkSecurityGroups",
  "properties": {
    "securityRules": [
      {
        "name": "named",
        "properties": {
          "direction": "Inbound",
          "sourceAddressPrefix": "*",
          "protocol": "Tcp",
          "destinationPortRange": "redis",
          "destinationAddressPrefix": "*",
          "access": "Allow",
          "priority": 100
        }
      }
    ]
  }
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.json", "line": 10, "column": 34, "endLine": 10, "endColumn": 37, "message": "network security group nsg1 rule named opens unresolved ports (\"redis\" is not a port range) to the internet (source: *)", "subjects": ["cloud-json:main.json:nsg1:named"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });
});

describe("gcloud compute firewall-rules output", () => {
  it("a deny for the same target tags closes the allow", async () => {
    const result = await lint(`[
  {
    "name": "deny-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "priority": 100,
    "targetTags": [
      "db"
    ],
    "denied": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      }
    ]
  },
  {
    "name": "allow-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "priority": 200,
    "targetTags": [
      "db"
    ],
    "allowed": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("a deny for other target tags does not", async () => {
    const result = await lint(`[
  {
    "name": "deny-web",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "priority": 100,
    "targetTags": [
      "web"
    ],
    "denied": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      }
    ]
  },
  {
    "name": "allow-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "priority": 200,
    "targetTags": [
      "db"
    ],
    "allowed": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.json", "line": 27, "column": 7, "endLine": 27, "endColumn": 18, "message": "firewall rule allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)", "subjects": ["cloud-json:main.json:allow-db"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a rule without priority is 1000: the deny ties the allow at 1000 and wins", async () => {
    const result = await lint(`[
  {
    "name": "allow-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "priority": 1000,
    "allowed": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      }
    ]
  },
  {
    "name": "deny-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "denied": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("an allow without priority (1000) is judged before a deny at 1001", async () => {
    const result = await lint(`[
  {
    "name": "allow-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "allowed": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      }
    ]
  },
  {
    "name": "deny-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "priority": 1001,
    "denied": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.json", "line": 7, "column": 7, "endLine": 7, "endColumn": 18, "message": "firewall rule allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)", "subjects": ["cloud-json:main.json:allow-db"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a deny of another network closes nothing", async () => {
    const result = await lint(`[
  {
    "name": "deny-db",
    "network": "projects/p/global/networks/vpc-a",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "priority": 100,
    "denied": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      }
    ]
  },
  {
    "name": "allow-db",
    "network": "projects/p/global/networks/vpc-b",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "priority": 200,
    "allowed": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.json", "line": 24, "column": 7, "endLine": 24, "endColumn": 18, "message": "firewall rule allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)", "subjects": ["cloud-json:main.json:allow-db"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an allowed entry without IPProtocol is reported; the next entry is judged, named allowed[1]", async () => {
    const result = await lint(`[
  {
    "name": "allow-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "allowed": [
      {
        "ports": [
          "6379"
        ]
      },
      {
        "IPProtocol": "tcp",
        "ports": [
          "6380"
        ]
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW001", "file": "main.json", "line": 7, "column": 7, "endLine": 7, "endColumn": 18, "message": "firewall rule allow-db exposes port 6380/tcp to the internet (source: 0.0.0.0/0); only 443 may be public", "subjects": ["cloud-json:main.json:allow-db:allowed[1]"], "related": []}
    ]);
    expect(notices(result)).toEqual(["main.json: 1 entry could not be judged and was not checked: line 10 (protocol \"\" is not understood)"]);
  });

  it("two allowed entries: the second is named allowed[1]", async () => {
    const result = await lint(`[
  {
    "name": "allow-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "allowed": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6379"
        ]
      },
      {
        "IPProtocol": "udp",
        "ports": [
          "6379"
        ]
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW001", "file": "main.json", "line": 7, "column": 7, "endLine": 7, "endColumn": 18, "message": "firewall rule allow-db exposes port 6379/udp to the internet (source: 0.0.0.0/0); only 443 may be public", "subjects": ["cloud-json:main.json:allow-db:allowed[1]"], "related": []},
      {"ruleId": "PW002", "file": "main.json", "line": 7, "column": 7, "endLine": 7, "endColumn": 18, "message": "firewall rule allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)", "subjects": ["cloud-json:main.json:allow-db"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an allow split by an IPv4 deny on 22: one finding per piece, subjects numbered :0 and :1", async () => {
    const result = await lint(`[
  {
    "name": "deny-v4",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "priority": 100,
    "denied": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "22"
        ]
      }
    ]
  },
  {
    "name": "allow-all",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0",
      "::/0"
    ],
    "priority": 200,
    "allowed": [
      {
        "IPProtocol": "tcp"
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.json", "line": 24, "column": 7, "endLine": 24, "endColumn": 18, "message": "firewall rule allow-all exposes SQL Server 1433, Oracle 1521, ZooKeeper 2181 and 26 more datastore ports on ports 0-21, 23-65535/tcp to the internet (source: 0.0.0.0/0)", "subjects": ["cloud-json:main.json:allow-all:0"], "related": []},
      {"ruleId": "PW007", "file": "main.json", "line": 25, "column": 7, "endLine": 25, "endColumn": 13, "message": "firewall rule allow-all allows all ports (tcp) from the internet (source: ::/0)", "subjects": ["cloud-json:main.json:allow-all:1"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("protocol all is every port and protocol even with a stray ports list", async () => {
    const result = await lint(`[
  {
    "name": "allow-all",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "allowed": [
      {
        "IPProtocol": "all",
        "ports": [
          "6379"
        ]
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW007", "file": "main.json", "line": 7, "column": 7, "endLine": 7, "endColumn": 18, "message": "firewall rule allow-all allows all ports and protocols from the internet (source: 0.0.0.0/0)", "subjects": ["cloud-json:main.json:allow-all"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an ICMP allow opens no port", async () => {
    const result = await lint(`[
  {
    "name": "allow-icmp",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "allowed": [
      {
        "IPProtocol": "icmp"
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("an inverted port range is PW010, never swapped", async () => {
    const result = await lint(`[
  {
    "name": "allow-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "allowed": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "6380-6379"
        ]
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.json", "line": 7, "column": 7, "endLine": 7, "endColumn": 18, "message": "firewall rule allow-db opens unresolved ports (port range 6380-6379 is inverted: 6380 is above 6379) to the internet (source: 0.0.0.0/0)", "subjects": ["cloud-json:main.json:allow-db"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a port that is a name is PW010 quoting it", async () => {
    const result = await lint(`[
  {
    "name": "allow-db",
    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
    "direction": "INGRESS",
    "sourceRanges": [
      "0.0.0.0/0"
    ],
    "allowed": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "redis"
        ]
      }
    ]
  }
]
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.json", "line": 7, "column": 7, "endLine": 7, "endColumn": 18, "message": "firewall rule allow-db opens unresolved ports (\"redis\" is not a port range) to the internet (source: 0.0.0.0/0)", "subjects": ["cloud-json:main.json:allow-db"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });
});

describe("az network nsg application security group sources", () => {
  it("an application security group entry without id is no source, and nothing fails; one with an id is named, never the internet", async () => {
    const nsg = (asgs: object[]) => JSON.stringify({ name: 'nsg1', type: 'Microsoft.Network/networkSecurityGroups', properties: { securityRules: [{ name: 'redis', properties: { direction: 'Inbound', access: 'Allow', priority: 100, protocol: 'Tcp', destinationPortRange: '6379', destinationAddressPrefix: '*', sourceAddressPrefix: '*', sourceApplicationSecurityGroups: asgs } }] } }, null, 2);
    const open = { ruleId: 'PW002', file: 'main.json', line: 15, column: 34, endLine: 15, endColumn: 37, message: 'network security group nsg1 rule redis exposes Redis 6379 on port 6379/tcp to the internet (source: *)', subjects: ['cloud-json:main.json:nsg1:redis'], related: [] };
    const bare = await lint(nsg([{ resourceGroup: 'rg' }]));
    expect(judged(bare)).toEqual([open]);
    expect(notices(bare)).toEqual([]);
    const named = await lint(nsg([{ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/web' }]));
    expect(judged(named)).toEqual([open]);
    expect(notices(named)).toEqual([]);
  });
});
